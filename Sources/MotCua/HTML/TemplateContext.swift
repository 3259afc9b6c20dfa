import Foundation
import Mustache

/// Turns a typed view model into the tree Mustache looks keys up in.
///
/// swift-mustache resolves a key on a plain value with `Mirror`, scanning every property at each level of
/// the context stack, for every tag; on a list page that dominated the request. One reflection pass per
/// render instead, after which each lookup is a dictionary hit. View models stay typed `Sendable` structs.
///
/// The tree is made of the small types below, not of `String`, `Bool`, `[String: Any]` and `[Any]`: for each
/// tag Mustache tries several protocol casts on the value it found (custom representation, parent, custom
/// rendering, lambda, optional), and on Linux a failed cast of a Foundation-bridgeable value (a string, a
/// Bool, an array, a dictionary) first bridges it to NSString, NSNumber, NSArray or NSDictionary to ask the
/// bridged object: a profile of the back office's list page showed a fifth of its CPU there. These types
/// are not bridgeable, and each conforms to what Mustache asks of it, so every cast is a cached lookup.
enum TemplateContext {
    static func make(_ value: Any) -> Any { convert(value) ?? TemplateNode(values: [:]) }

    /// Nil for an absent optional: the key is then left out, as Mustache did with the struct.
    private static func convert(_ value: Any) -> Any? {
        switch value {
        case let text as String: return TemplateText(text: text)
        case let flag as Bool: return TemplateFlag(value: flag)
        case let number as Int: return TemplateText(text: String(number))
        case let number as Int64: return TemplateText(text: String(number))
        case let number as Double: return TemplateText(text: String(describing: number))
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first?.value else { return nil }
            return convert(wrapped)
        case .struct, .class:
            var values: [String: Any] = [:]
            values.reserveCapacity(mirror.children.count)
            for child in mirror.children {
                guard let label = child.label, let converted = convert(child.value) else { continue }
                values[label] = converted
            }
            return TemplateNode(values: values)
        case .collection:
            return TemplateList(items: mirror.children.compactMap { convert($0.value) })
        default:
            return value
        }
    }
}

/// A struct or class of a view model: its properties by name.
struct TemplateNode: MustacheParent {
    let values: [String: Any]
    func child(named name: String) -> Any? { values[name] }
}

/// A string or a number: rendered as its text (escaped by `{{ }}`), a true section (even when empty, as
/// Mustache does with a string), and without children of its own.
struct TemplateText: MustacheCustomRenderable, MustacheParent {
    let text: String
    var renderText: String { text }
    var isNull: Bool { false }
    func child(named name: String) -> Any? { nil }
}

/// A Bool: a section shown when true, an inverted section when false.
struct TemplateFlag: MustacheCustomRenderable, MustacheParent {
    let value: Bool
    var renderText: String { value ? "true" : "false" }
    var isNull: Bool { !value }
    func child(named name: String) -> Any? { nil }
}

/// A list: a section repeated for each item, an inverted section when empty.
struct TemplateList: MustacheSequence, MustacheParent {
    let items: [Any]
    func makeIterator() -> IndexingIterator<[Any]> { items.makeIterator() }
    func child(named name: String) -> Any? { nil }
}
