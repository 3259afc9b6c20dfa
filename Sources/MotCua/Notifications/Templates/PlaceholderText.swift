import Foundation

/// A notice template's text: plain text with `{{name}}` placeholders, nothing else.
///
/// Our own rather than swift-mustache: an administrator's template must be refused when it names a
/// placeholder the notice does not have (Mustache renders an unknown name as nothing), sections and
/// partials have no place in a mail or an SMS, and plain text must not be HTML-escaped.
struct PlaceholderText: Sendable, Equatable {
    enum Piece: Sendable, Equatable {
        case text(String)
        case placeholder(String)
    }

    enum Problem: Error, Equatable {
        /// A `{{` without its `}}`, a `}}` without its `{{`, or a name that is not letters, digits and `_`.
        case brokenTag(String)
        case unknownPlaceholder(String)
    }

    let pieces: [Piece]

    /// Parses `source`, refusing broken tags and placeholders not in `allowed`.
    init(_ source: String, allowed: Set<String>) throws(Problem) {
        var pieces: [Piece] = []
        var rest = Substring(source)
        while !rest.isEmpty {
            guard let open = rest.range(of: "{{") else {
                if rest.contains("}}") { throw .brokenTag(Self.excerpt(rest, around: rest.range(of: "}}")!.lowerBound)) }
                pieces.append(.text(String(rest)))
                break
            }
            let before = rest[..<open.lowerBound]
            if before.contains("}}") { throw .brokenTag(Self.excerpt(rest, around: before.range(of: "}}")!.lowerBound)) }
            if !before.isEmpty { pieces.append(.text(String(before))) }
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else { throw .brokenTag(Self.excerpt(rest, around: open.lowerBound)) }
            let name = afterOpen[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, name.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }) else {
                throw .brokenTag(String(rest[open.lowerBound..<close.upperBound]))
            }
            guard allowed.contains(name) else { throw .unknownPlaceholder(name) }
            pieces.append(.placeholder(name))
            rest = afterOpen[close.upperBound...]
        }
        self.pieces = pieces
    }

    /// The text with each placeholder replaced by its value (an absent value leaves nothing).
    func rendered(_ values: [String: String]) -> String {
        pieces.map { piece in
            switch piece {
            case .text(let text): text
            case .placeholder(let name): values[name] ?? ""
            }
        }.joined()
    }

    private static func excerpt(_ text: Substring, around index: Substring.Index) -> String {
        let start = text.index(index, offsetBy: -10, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(index, offsetBy: 12, limitedBy: text.endIndex) ?? text.endIndex
        return String(text[start..<end])
    }
}
