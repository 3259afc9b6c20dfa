import Foundation
import Hummingbird
import Synchronization

/// Finished answers of public catalog pages and API reads, kept per catalog version.
///
/// The catalog is public and changes only by import, so the same URL gives the same bytes until the
/// version moves; rendering a page costs far more than serving it. Bounded in entries and bytes; an
/// entry of an older version is never served. Only for answers that do not depend on who is asking.
final class CatalogResponseCache: Sendable {
    private struct Entry {
        let version: Int64
        let body: ByteBuffer
        let contentType: String
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var bytes = 0
    }

    private let state = Mutex(State())
    private let maxEntries: Int
    private let maxBytes: Int

    init(maxEntries: Int = 2_000, maxBytes: Int = 64 * 1024 * 1024) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
    }

    /// The answer for `request` at catalog `version`: from memory, or made by `produce` and kept.
    func response(
        for request: Request, version: Int64, produce: () async throws -> (body: ByteBuffer, contentType: String)
    ) async throws -> Response {
        let key = request.uri.description
        if let entry = state.withLock({ $0.entries[key] }), entry.version == version {
            return Self.response(entry.body, entry.contentType)
        }
        let (body, contentType) = try await produce()
        state.withLock { state in
            if state.entries.count >= maxEntries || state.bytes + body.readableBytes > maxBytes {
                // Simple and safe: start over. Popular pages come back within a few requests.
                state = State()
            }
            if let old = state.entries[key] { state.bytes -= old.body.readableBytes }
            state.entries[key] = Entry(version: version, body: body, contentType: contentType)
            state.bytes += body.readableBytes
        }
        return Self.response(body, contentType)
    }

    private static func response(_ body: ByteBuffer, _ contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: body))
    }
}

extension HTML {
    var cacheable: (body: ByteBuffer, contentType: String) {
        (ByteBuffer(string: body), "text/html; charset=utf-8")
    }
}

enum JSONBody {
    static func encode(_ value: some Encodable) throws -> (body: ByteBuffer, contentType: String) {
        (ByteBuffer(bytes: try PortalJSON.encoder().encode(value)), "application/json; charset=utf-8")
    }
}
