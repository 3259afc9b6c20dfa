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

    /// By bytes, for `FragmentCache` (see `ByteKey`).
    static func == (l: Self, r: Self) -> Bool {
        ByteKey.same(l.url, r.url) && ByteKey.same(l.code, r.code) && ByteKey.same(l.procedureName, r.procedureName)
            && ByteKey.same(l.agencyName, r.agencyName) && ByteKey.same(l.status, r.status) && ByteKey.same(l.createdAt, r.createdAt)
            && ByteKey.same(l.dueAt, r.dueAt)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combineBytes(of: url); hasher.combineBytes(of: code); hasher.combineBytes(of: procedureName)
        hasher.combineBytes(of: agencyName); hasher.combineBytes(of: status); hasher.combineBytes(of: createdAt)
        hasher.combineBytes(of: dueAt)
    }
}

struct MyDossiersPage: PageModel {
    static let template = "dossiers/list"
    var chrome: PageChrome
    var rows: RenderedFragment
    var hasRows: Bool
    var statuses: [SelectOption]
    var pager: PagerLinks
}
