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

    /// By bytes, for `FragmentCache` (see `ByteKey`).
    static func == (l: Self, r: Self) -> Bool {
        ByteKey.same(l.url, r.url) && ByteKey.same(l.code, r.code) && ByteKey.same(l.procedureName, r.procedureName)
            && ByteKey.same(l.applicantName, r.applicantName) && ByteKey.same(l.submittedAt, r.submittedAt)
            && ByteKey.same(l.dueAt, r.dueAt) && ByteKey.same(l.status, r.status) && l.overdue == r.overdue && l.dueSoon == r.dueSoon
            && ByteKey.same(l.step, r.step) && ByteKey.same(l.holder, r.holder) && ByteKey.same(l.stepDueAt, r.stepDueAt)
            && l.stepOverdue == r.stepOverdue
    }

    func hash(into hasher: inout Hasher) {
        hasher.combineBytes(of: url); hasher.combineBytes(of: code); hasher.combineBytes(of: procedureName)
        hasher.combineBytes(of: applicantName); hasher.combineBytes(of: submittedAt); hasher.combineBytes(of: dueAt)
        hasher.combineBytes(of: status); hasher.combine(overdue); hasher.combine(dueSoon); hasher.combineBytes(of: step)
        hasher.combineBytes(of: holder); hasher.combineBytes(of: stepDueAt); hasher.combine(stepOverdue)
    }
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
