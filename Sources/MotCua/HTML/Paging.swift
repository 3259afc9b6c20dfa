import Foundation
import Hummingbird

/// `?trang=N` of a list page, one-based, with the links to the neighbouring pages.
struct Paging: Sendable {
    let page: Int
    let pageSize: Int
    var offset: Int { (page - 1) * pageSize }

    init(_ request: Request, pageSize: Int) {
        self.page = request.queryValues["trang"].flatMap(Int.init).map { min(max($0, 1), 100_000) } ?? 1
        self.pageSize = pageSize
    }

    func links(path: String, hasMore: Bool, keeping parameters: [String: String?]) -> PagerLinks {
        let kept = parameters.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }.sorted { $0.name < $1.name }
        func url(_ page: Int) -> String {
            path + SiteURL.encodedQuery(kept + (page > 1 ? [URLQueryItem(name: "trang", value: String(page))] : []))
        }
        return PagerLinks(page: page, previous: page > 1 ? url(page - 1) : nil, next: hasMore ? url(page + 1) : nil,
                          hasLinks: page > 1 || hasMore)
    }
}

struct PagerLinks: Sendable {
    var page: Int
    var previous: String?
    var next: String?
    var hasLinks: Bool
}
