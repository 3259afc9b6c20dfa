import Foundation

struct ReceiptDocument: Sendable, Encodable {
    var number: Int
    var name: String
    var kind: String
    var files: Int
}

/// Mẫu 01 of Circular 01/2018/TT-VPCP. The version is printed on the slip: layouts change with the law.
struct ReceiptSlipPage: PageModel {
    static let template = "backoffice/receipt"
    static let version = "Mẫu số 01 – Thông tư 01/2018/TT-VPCP"
    var chrome: PageChrome
    var id: Int64
    var agencyName: String
    var code: String
    var applicantName: String
    var applicantAddress: String
    var applicantPhone: String
    var applicantEmail: String
    var procedureName: String
    var documents: [ReceiptDocument]
    var processingDays: Int
    var receivedAt: String
    var dueAt: String
    var delivery: String
    var receivedBy: String
    var slipVersion: String
    /// The dossier's lookup URL as a QR code (SlipQR).
    var qrSVG: String
    /// The number of the slip issued as PDF for this page's step, once there is one.
    var slipNumber: String?
}
