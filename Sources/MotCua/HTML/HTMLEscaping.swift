import Mustache

/// The escaping of `{{value}}` in our templates: `<`, `>`, `&`, `"` and `'` become entities, as with
/// swift-mustache's own HTML content type, but over UTF-8 bytes, and a text that needs none (nearly every
/// one) is returned as it is. The library's version walks Characters (grapheme breaking) and hashes each
/// into a dictionary: a sixth of the CPU of the back office's 50-row list page. The only difference: a
/// special character followed by a combining mark (one Character, which the library leaves as it is) is
/// escaped here too.
///
/// swift-mustache picks a content type per template by a `{{% CONTENT_TYPE: NAME }}` line, and a partial
/// or parent template starts again from its own HTML type; `HTMLRenderer` puts that line at the top of
/// every template it loads, so no template file carries it and none can miss it.
struct HTMLEscaping: MustacheContentType {
    /// The name templates use in their content type line.
    static let name = "MOTCUA_HTML"

    func escapeText(_ text: String) -> String { Self.escape(text) }

    static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: needsEscape) else { return text }
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count + 32)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "<"): escaped.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): escaped.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "&"): escaped.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "\""): escaped.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): escaped.append(contentsOf: "&#39;".utf8)
            default: escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
