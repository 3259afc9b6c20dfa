/// Mẫu 02 of Circular 01/2018/TT-VPCP: everything the applicant must add or correct, asked for at once, as the
/// slip was issued at the step. Printed on A5.
struct SupplementSlipPage: PageModel {
    static let template = "backoffice/supplement-slip"
    static let version = "Mẫu số 02 – Thông tư 01/2018/TT-VPCP"
    var chrome: PageChrome
    var id: Int64
    var pdfURL: String
    var heading: SlipHeadingView
    var applicantName: String
    var procedureName: String
    var receivedAt: String
    var items: [String]
    var officerName: String
    var slipVersion: String
}

/// Mẫu 03 of Circular 01/2018/TT-VPCP: the refusal to take the dossier, with its reason in writing, as the slip
/// was issued at the step. Printed on A5.
struct RefusalSlipPage: PageModel {
    static let template = "backoffice/refusal-slip"
    static let version = "Mẫu số 03 – Thông tư 01/2018/TT-VPCP"
    var chrome: PageChrome
    var id: Int64
    var pdfURL: String
    var heading: SlipHeadingView
    var applicantName: String
    var procedureName: String
    var receivedAt: String
    var reason: String
    var officerName: String
    var slipVersion: String
}
