import Foundation

/// Every URL the portal links to, built in one place.
enum SiteURL {
    static let home = "/"
    static let catalog = "/thu-tuc"
    static let lookup = "/tra-cuu"

    /// Agency and procedure codes are validated to URL-safe characters, so they need no escaping.
    static func procedure(agencyCode: String, code: String, tab: String? = nil) -> String {
        "/thu-tuc/\(agencyCode)/\(code)" + (tab.map { "?tab=\($0)" } ?? "")
    }

    static func formTemplate(agencyCode: String, procedureCode: String, position: Int) -> String {
        "/thu-tuc/\(agencyCode)/\(procedureCode)/bieu-mau/\(position + 1)"
    }

    /// The question form, about one procedure of an agency.
    static func ask(agencyCode: String, procedureCode: String) -> String {
        "/hoi-dap?co-quan=\(agencyCode)&thu-tuc=\(procedureCode)"
    }

    static func catalog(_ query: CatalogSearchIndex.Query, page: Int? = nil) -> String {
        var items: [URLQueryItem] = []
        if !query.text.isEmpty { items.append(URLQueryItem(name: "q", value: query.text)) }
        if let agency = query.agencyCode { items.append(URLQueryItem(name: "agency", value: agency)) }
        if let field = query.fieldCode { items.append(URLQueryItem(name: "field", value: field)) }
        if let level = query.onlineLevel { items.append(URLQueryItem(name: "level", value: level.rawValue)) }
        let page = page ?? query.page
        if page > 1 { items.append(URLQueryItem(name: "page", value: String(page))) }
        return catalog + encodedQuery(items)
    }

    static func encodedQuery(_ items: [URLQueryItem]) -> String {
        guard !items.isEmpty else { return "" }
        var components = URLComponents()
        components.queryItems = items
        // URLComponents leaves "+" alone, which a form decoder reads as a space.
        return "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }
}
