import Foundation
import NIOCore
import Testing

@testable import MotCua

/// The API lists' rows encoded once per distinct row (`JSONList`): the same bytes as `JSONEncoder`.
@Suite("API list rows kept by their value")
struct JSONListTests {
    struct Row: Codable, Hashable, Sendable {
        var id: Int64
        var name: String
        var note: String?
        var url: String
    }

    /// What the controllers answered before `JSONList`: the whole list through `PortalJSON.encoder()`.
    struct Whole: Codable {
        var items: [Row]
        var nextCursor: String?
    }

    private let rows = [
        Row(id: 2, name: "Nguyễn \"Văn\" A\n\\", note: nil, url: "/ho-so/2"),
        Row(id: 1, name: "Trần Thị B", note: "ghi chú <b>", url: "/ho-so/1"),
    ]

    @Test("Bytes equal JSONEncoder's for the whole list, with a cursor, without one and empty")
    func sameBytesAsJSONEncoder() throws {
        let cache = FragmentCache()
        for (items, cursor) in [(rows, "1"), (rows, nil), ([], nil), ([rows[0]], "a\"b")] as [([Row], String?)] {
            let body = try JSONList(items: items, nextCursor: cursor, rows: cache).body()
            let expected = try PortalJSON.encoder().encode(Whole(items: items, nextCursor: cursor))
            #expect(Data(body.readableBytesView) == expected)
            let decoded = try JSONDecoder().decode(Whole.self, from: Data(body.readableBytesView))
            #expect(decoded.items == items && decoded.nextCursor == cursor)
        }
    }

    @Test("A row seen before is copied from the cache; a changed row is encoded anew")
    func rowsEncodedOncePerValue() throws {
        let cache = FragmentCache()
        _ = try JSONList(items: rows, nextCursor: nil, rows: cache).body()
        #expect(cache.count == 2)
        // A planted entry shows that a known row is served from the cache, not encoded again.
        cache.store([(FragmentCache.Key(kind: JSONList<Row>.kind, model: rows[1]), #"{"kept":true}"#)])
        let kept = try JSONList(items: [rows[1]], nextCursor: nil, rows: cache).body()
        #expect(String(buffer: kept) == #"{"items":[{"kept":true}]}"#)
        var changed = rows[1]
        changed.note = "đã bổ sung"
        let fresh = try JSONList(items: [changed], nextCursor: nil, rows: cache).body()
        #expect(Data(fresh.readableBytesView) == (try PortalJSON.encoder().encode(Whole(items: [changed]))))
        #expect(cache.count == 3)
    }
}
