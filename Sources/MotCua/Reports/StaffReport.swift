import Foundation

/// The agency's staff reports for a chosen period: per officer (the hand-overs each person received and
/// finished, early / on time / late, and what they hold now), per procedure (received, resolved and their
/// timeliness, from the statistics' day counters) and the overdue list (dossiers whose appointment fell in
/// the period and that were not resolved by it). Each is one table, shown on the page and downloaded as CSV
/// or XLSX, so the three formats cannot disagree.
enum StaffReportKind: String, Sendable, CaseIterable {
    case officers = "can-bo"
    case procedures = "thu-tuc"
    case overdue = "qua-han"

    var title: String {
        switch self {
        case .officers: "Báo cáo theo cán bộ"
        case .procedures: "Báo cáo theo thủ tục"
        case .overdue: "Danh sách hồ sơ quá hạn"
        }
    }

    var caption: String {
        switch self {
        case .officers: "Các bước xử lý mỗi cán bộ đã nhận và đã hoàn thành trong kỳ; hồ sơ đang giữ tính đến thời điểm xem"
        case .procedures: "Hồ sơ tiếp nhận trong kỳ theo thủ tục, và hồ sơ đã giải quyết trong kỳ"
        case .overdue: "Hồ sơ có ngày hẹn trả trong kỳ mà chưa giải quyết đúng hạn, theo ngày hẹn trả"
        }
    }

    var sheetName: String {
        switch self {
        case .officers: "Theo cán bộ"
        case .procedures: "Theo thủ tục"
        case .overdue: "Hồ sơ quá hạn"
        }
    }

    var fileStem: String { "bao-cao-\(rawValue)" }

    /// The reports per officer and per procedure hold no citizen's data: leaders and the agency administrator
    /// read them, the desk too for procedures. The overdue list names applicants: leaders and the desk, who
    /// issue the apology slips.
    func isReadable(by role: StaffRole?) -> Bool {
        switch (self, role) {
        case (_, .leader): true
        case (.officers, .agencyAdmin), (.procedures, .agencyAdmin), (.procedures, .receptionist), (.overdue, .receptionist): true
        default: false
        }
    }

    static func readable(by role: StaffRole?) -> [StaffReportKind] { allCases.filter { $0.isReadable(by: role) } }
}

/// One report as a table: the same cells make the page, the CSV and the XLSX.
struct ReportTable: Sendable, Equatable {
    var header: [String]
    var rows: [[XLSXWriter.Cell]]

    var textRows: [[String]] { rows.map { $0.map(\.text) } }
}

extension XLSXWriter.Cell {
    var text: String {
        switch self {
        case .text(let value): value
        case .number(let value): String(value)
        case .empty: ""
        }
    }
}

/// One person's work in a period.
struct OfficerFigures: Sendable, Equatable {
    /// Steps handed to them (or taken from their unit's pool) in the period.
    var received = 0
    /// Steps they finished (handed on, sent back, approved, returned) in the period, and how.
    var early = 0
    var onTime = 0
    var late = 0
    /// Open dossiers they hold now, and of those past the step's due moment (a paused clock is not late).
    var holding = 0
    var holdingOverdue = 0

    var finished: Int { early + onTime + late }
}

/// A dossier of the overdue list.
struct OverdueDossier: Sendable, Equatable {
    var code: String
    var procedureName: String
    var applicantName: String
    var submittedAt: Int64?
    var dueAt: Int64
    var finishedAt: Int64?
    var stepName: String?
    var holderName: String?
    var apologies: Int
}
