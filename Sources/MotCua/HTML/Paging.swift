import Foundation
import Hummingbird

/// Keyset paging of a list page: `?sau=<cursor>` says where the page starts (after the last row of the
/// previous one), so each page is an index range scan, however deep. Links go to the next page and back
/// to the first; the other query parameters (filters) are kept.
struct Paging: Sendable {
    /// The cursor text of this page's start; nil on the first page.
    let after: String?
    let pageSize: Int

    static let parameter = "sau"

    init(_ request: Request, pageSize: Int) {
        self.after = request.queryValues[Self.parameter].flatMap { $0.isEmpty ? nil : $0 }
        self.pageSize = pageSize
    }

    func links(path: String, next: String?, keeping parameters: [String: String?]) -> PagerLinks {
        let kept = parameters.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }.sorted { $0.name < $1.name }
        let first = path + SiteURL.encodedQuery(kept)
        return PagerLinks(
            first: after == nil ? nil : first,
            next: next.map { path + SiteURL.encodedQuery(kept + [URLQueryItem(name: Self.parameter, value: $0)]) },
            hasLinks: after != nil || next != nil)
    }
}

struct PagerLinks: Sendable, Encodable {
    /// Back to the first page, from any later one.
    var first: String?
    var next: String?
    var hasLinks: Bool
}
