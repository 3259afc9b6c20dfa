import Foundation
import Hummingbird
import NIOCore

/// A list answer of the API, `{"items":[…],"nextCursor":"…"}`, whose rows are encoded once per distinct
/// row and then copied (`FragmentCache`, as the HTML lists' rows are).
///
/// Encoding with `JSONEncoder` and sorted keys was about a sixth of the CPU of "my dossiers" over the API:
/// it builds a tree of every value and sorts each row's keys on every request, though the rows of a list
/// change rarely between two reloads. The bytes are those `PortalJSON.encoder()` writes for the same value:
/// each row is encoded by it, "items" sorts before "nextCursor", and a nil cursor is left out.
struct JSONList<Row: Encodable & Hashable & Sendable>: ResponseGenerator, Sendable {
    let items: [Row]
    /// Pass as `?cursor=` for the next page; absent on the last page.
    let nextCursor: String?
    let rows: FragmentCache

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: try body()))
    }

    /// The rows' key kind in the cache: one per row type, apart from the pages' templates.
    static var kind: String { "json:\(Row.self)" }

    func body() throws -> ByteBuffer {
        let encoder = PortalJSON.encoder()
        let encoded = try rows.fragments(items, kind: Self.kind) { String(decoding: try encoder.encode($0), as: UTF8.self) }
        var body = ByteBuffer()
        body.reserveCapacity(encoded.reduce(32) { $0 + $1.utf8.count + 1 })
        body.writeString(#"{"items":["#)
        for (index, row) in encoded.enumerated() {
            if index > 0 { body.writeStaticString(",") }
            body.writeString(row)
        }
        body.writeStaticString("]")
        if let nextCursor {
            body.writeStaticString(#","nextCursor":"#)
            body.writeBytes(try encoder.encode(nextCursor))
        }
        body.writeStaticString("}")
        return body
    }
}
