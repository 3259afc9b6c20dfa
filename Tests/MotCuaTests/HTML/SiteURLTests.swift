import Foundation
import Testing

@testable import MotCua

/// The query strings of the portal's links (`SiteURL.encodedQuery`, written byte by byte) read back as what
/// was put in, and are what `URLComponents` makes, but for "+".
@Suite("Query strings of links")
struct SiteURLTests {
    static let values = [
        "", "cho-tiep-nhan", "Nguyễn Văn An", "a b", "a+b", "a&b=c", "/tai-khoan?x=1#top", "100%", "x;y,z:@!$'()*~",
        "\u{1}\t\n", "Trần Thị Bình".decomposedStringWithCanonicalMapping, "2026-12-07", "MTIzNDU2Nzg5MDEy_-",
    ]

    @Test("Each value reads back as it was, and the text is URLComponents' with \"+\" as %2B")
    func agreesWithURLComponents() throws {
        for value in Self.values {
            let items = [URLQueryItem(name: "q", value: value), URLQueryItem(name: "sau", value: "5"), URLQueryItem(name: "co", value: nil)]
            let query = SiteURL.encodedQuery(items)
            var components = URLComponents()
            components.queryItems = items
            #expect(query == "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B"), "\(value.debugDescription)")
            let read = try #require(URLComponents(string: "/x" + query)?.queryItems)
            #expect(read == items, "\(value.debugDescription)")
        }
        #expect(SiteURL.encodedQuery([]) == "")
    }
}
