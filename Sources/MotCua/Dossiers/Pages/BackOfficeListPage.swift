import Foundation

struct BackOfficeRow: Sendable {
    var url: String
    var code: String
    var procedureName: String
    var applicantName: String
    var submittedAt: String
    var dueAt: String?
    var status: String
    var overdue: Bool
}

struct BackOfficeListPage: PageModel {
    static let template = "backoffice/list"
    var chrome: PageChrome
    var roleLabel: String
    var rows: [BackOfficeRow]
    var hasRows: Bool
    var code: String
    var statuses: [SelectOption]
    var pager: PagerLinks
    var problem: String?
    var notice: String?
}
