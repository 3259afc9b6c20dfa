import Foundation

/// The one JSON style of every answer: stable key order, unescaped slashes.
enum PortalJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
