import Foundation

struct DossierRow: Sendable, Encodable {
    var url: String
    var code: String
    var procedureName: String
    var agencyName: String
    var status: String
    var createdAt: String
    var dueAt: String?
}

struct MyDossiersPage: PageModel {
    static let template = "dossiers/list"
    var chrome: PageChrome
    var rows: [DossierRow]
    var hasRows: Bool
    var statuses: [SelectOption]
    var pager: PagerLinks
}
