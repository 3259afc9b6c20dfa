import Foundation
import Hummingbird

extension Request {
    /// Query parameters as an HTML form sends them (`application/x-www-form-urlencoded`).
    var queryValues: QueryValues { QueryValues(query: uri.query ?? "") }
}

/// Decoded query parameters or form fields. "+" is a space (forms send spaces that way) and is turned
/// into one before percent-decoding, so a literal "%2B" stays a plus sign.
///
/// Forms of fixed fields are decoded into types with Hummingbird's `URLEncodedFormDecoder`
/// (`Request.decodeForm`). This reader stays where a type does not fit: the query strings of the list and
/// search pages (optional filters, the first of a repeated name kept, so an old bookmark still works) and
/// the dossier form, whose fields are the procedure's own, named at run time (`f_<key>`).
/// It says what it could not read: a malformed escape (`%FF`, `%G1`) and a repeated name, which
/// `checked()` turns into a 400 (a query keeps the first value of a repeated name; a form refuses it).
struct QueryValues {
    private var values: [String: String] = [:]
    /// The first name or value whose percent-escapes are not UTF-8.
    private(set) var malformed: String?
    /// The first name that came more than once.
    private(set) var repeated: String?

    init(query: String) {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { malformed = malformed ?? String(parts[0]); continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if value == nil { malformed = malformed ?? name }
            if values[name] != nil { repeated = repeated ?? name; continue }
            values[name] = value ?? ""
        }
    }

    /// Refuses what could not be read: a malformed escape always, a repeated name when `allowingRepeats` is false.
    func checked(allowingRepeats: Bool) throws -> QueryValues {
        if let malformed {
            throw PortalError.badRequest("Dữ liệu gửi lên có mã hóa ký tự không hợp lệ (ở \"\(malformed.prefix(40))\").",
                                         fields: [.init(name: String(malformed.prefix(40)), reason: "percent-encoding")])
        }
        if !allowingRepeats, let repeated {
            throw PortalError.badRequest("Biểu mẫu gửi trường \"\(repeated.prefix(40))\" nhiều lần.",
                                         fields: [.init(name: String(repeated.prefix(40)), reason: "repeated")])
        }
        return self
    }

    subscript(_ name: String) -> String? { values[name] }

    private static func decode(_ text: Substring) -> String? {
        // Most names and values (`limit=20`, `cursor=…`) have nothing to decode; Foundation's replace and
        // percent-decoding go through a bridged string and cost several microseconds each.
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }) { return String(text) }
        return text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

extension Request {
    /// The form fields of a POST (`application/x-www-form-urlencoded`), already size-limited by `CSRFMiddleware`.
    func formValues() async throws -> QueryValues {
        var request = self
        let body = try await request.collectBody(upTo: CSRFMiddleware.maxFormBytes)
        return try QueryValues(query: String(buffer: body)).checked(allowingRepeats: false)
    }
}
