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

    /// `?name=value&…`, each name and value percent-encoded but for the characters RFC 3986 allows in a query
    /// other than "&", "=" and "+" (as `URLComponents` does, except that a "+", which a form decoder reads as a
    /// space, is "%2B"); an item without a value is its name alone.
    static func encodedQuery(_ items: [URLQueryItem]) -> String {
        guard !items.isEmpty else { return "" }
        var query: [UInt8] = [UInt8(ascii: "?")]
        for (index, item) in items.enumerated() {
            if index > 0 { query.append(UInt8(ascii: "&")) }
            percentEncode(item.name, into: &query)
            if let value = item.value {
                query.append(UInt8(ascii: "="))
                percentEncode(value, into: &query)
            }
        }
        return String(decoding: query, as: UTF8.self)
    }

    private static func percentEncode(_ text: String, into bytes: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "?"),
                 UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "'"), UInt8(ascii: "("),
                 UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: ","), UInt8(ascii: ";"):
                bytes.append(byte)
            default:
                bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
    }
}
