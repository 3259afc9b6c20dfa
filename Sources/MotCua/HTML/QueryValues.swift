import Foundation
import Hummingbird

extension Request {
    /// Query parameters as an HTML form sends them (`application/x-www-form-urlencoded`).
    var queryValues: QueryValues { QueryValues(query: uri.query ?? "") }
}

/// Decoded query parameters. "+" is a space (forms send spaces that way) and is turned into one before
/// percent-decoding, so a literal "%2B" stays a plus sign. Repeated names keep their first value.
struct QueryValues {
    private var values: [String: String] = [:]

    init(query: String) {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), values[name] == nil else { continue }
            values[name] = parts.count > 1 ? (Self.decode(parts[1]) ?? "") : ""
        }
    }

    subscript(_ name: String) -> String? { values[name] }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

extension Request {
    /// The form fields of a POST (`application/x-www-form-urlencoded`), already size-limited by `CSRFMiddleware`.
    func formValues() async throws -> QueryValues {
        var request = self
        let body = try await request.collectBody(upTo: CSRFMiddleware.maxFormBytes)
        return QueryValues(query: String(buffer: body))
    }
}
