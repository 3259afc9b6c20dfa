import Foundation

/// A row of a back office queue, rendered through backoffice/row (`HTMLRenderer.rows`).
struct BackOfficeRow: Sendable, Encodable, Hashable {
    var url: String
    var code: String
    var procedureName: String
    var applicantName: String
    var submittedAt: String
    var dueAt: String?
    var status: String
    var overdue: Bool
    var dueSoon: Bool
    var step: String?
    var holder: String?
    var stepDueAt: String?
    var stepOverdue: Bool
}

/// A tab of the back office: one work list with its count.
struct QueueTab: Sendable, Encodable {
    var label: String
    var url: String
    var count: Int?
    var current: Bool
}

struct BackOfficeListPage: PageModel {
    static let template = "backoffice/list"
    var chrome: PageChrome
    var roleLabel: String
    /// Receptionists register paper dossiers.
    var canIntake: Bool
    /// Leaders and the desk read the staff reports (`StaffReportKind.isReadable`).
    var canReadReports: Bool
    var tabs: [QueueTab]
    var queueLabel: String
    var queueSlug: String
    var rows: RenderedFragment
    var hasRows: Bool
    var code: String
    var applicant: String
    var procedureCode: String
    var from: String
    var to: String
    var statuses: [SelectOption]
    var channels: [SelectOption]
    var pager: PagerLinks
    var problem: String?
    var notice: String?
}
