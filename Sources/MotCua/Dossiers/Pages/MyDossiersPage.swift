import Foundation

/// A row of "Hồ sơ của tôi", rendered through dossiers/row (`HTMLRenderer.rows`).
struct DossierRow: Sendable, Encodable, Hashable {
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
    var rows: RenderedFragment
    var hasRows: Bool
    var statuses: [SelectOption]
    var pager: PagerLinks
}
