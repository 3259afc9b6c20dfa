import Foundation

/// Vietnamese messages by form field name.
struct FieldErrors: Error, Sendable, Equatable, ExpressibleByDictionaryLiteral {
    private(set) var messages: [String: String] = [:]
    var isEmpty: Bool { messages.isEmpty }

    init() {}

    init(dictionaryLiteral elements: (String, String)...) {
        messages = Dictionary(elements, uniquingKeysWith: { $1 })
    }

    subscript(_ field: String) -> String? {
        get { messages[field] }
        set { messages[field] = newValue }
    }

    /// A required single-line text: not empty, not too long, no control characters.
    mutating func text(_ value: String, field: String, label: String, max: Int) -> String {
        if value.isEmpty {
            messages[field] = "Vui lòng nhập \(label.lowercased())."
        } else if value.count > max {
            messages[field] = "\(label) dài quá \(max) ký tự."
        } else if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            messages[field] = "\(label) chứa ký tự không hợp lệ."
        }
        return value
    }
}
