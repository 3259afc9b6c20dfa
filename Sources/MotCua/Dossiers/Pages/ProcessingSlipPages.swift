/// Mẫu 05 of Circular 01/2018/TT-VPCP: every hand-over of the dossier between units, with its times and
/// whether the step was early, on time or late. Printed on A4.
struct ControlSlipPage: PageModel {
    static let template = "backoffice/control-slip"
    static let version = "Mẫu số 05 – Thông tư 01/2018/TT-VPCP"
    var chrome: PageChrome
    var id: Int64
    var agencyName: String
    var code: String
    var applicantName: String
    var procedureName: String
    var receivedAt: String
    var dueAt: String
    var rows: [HandoverRow]
    var slipVersion: String
    /// The dossier's lookup URL as a QR code (SlipQR).
    var qrSVG: String
    /// The number of the slip issued as PDF for this page's step, once there is one.
    var slipNumber: String?
}

/// Mẫu 04 of Circular 01/2018/TT-VPCP: the agency's apology for a late dossier and the new appointment date.
struct ApologySlipPage: PageModel {
    static let template = "backoffice/apology-slip"
    static let version = "Mẫu số 04 – Thông tư 01/2018/TT-VPCP"
    var chrome: PageChrome
    var id: Int64
    var agencyName: String
    var code: String
    var applicantName: String
    var applicantAddress: String
    var procedureName: String
    var receivedAt: String
    var previousDueAt: String
    var newDueAt: String
    var reason: String
    var issuedAt: String
    var issuedBy: String
    var slipVersion: String
    /// The dossier's lookup URL as a QR code (SlipQR).
    var qrSVG: String
    /// The number of the slip issued as PDF for this page's step, once there is one.
    var slipNumber: String?
}

/// Where the dossier is in its process, for the staff page.
enum ProgressFacts {
    static func items(_ dossier: Dossier) -> [InfoItem] {
        let progress = dossier.progress
        guard let step = progress.currentStep, let position = progress.position else { return [] }
        var items = [
            InfoItem(label: "Bước hiện tại", value: "Bước \(position + 1)/\(progress.process.count): \(step.name)"),
            InfoItem(label: "Đơn vị thực hiện", value: progress.holderUnitName ?? step.unit),
            InfoItem(label: "Người đang giữ hồ sơ", value: progress.holderUserName ?? "Chờ phân công"),
        ]
        if let due = progress.stepDueAt {
            items.append(InfoItem(label: "Hạn của bước", value: VietnameseFormat.dateTime(due) + " (" + step.allowanceText + ")"))
        }
        if let paused = progress.pausedAt {
            items.append(InfoItem(label: "Tạm dừng tính thời gian", value: "Từ \(VietnameseFormat.dateTime(paused)), chờ người nộp bổ sung"))
        }
        if progress.dueState != .inTime { items.append(InfoItem(label: "Tình trạng thời hạn", value: progress.dueState.label)) }
        return items
    }
}
