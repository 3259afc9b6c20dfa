import Foundation
import Mustache

/// Turns a typed view model into the tree Mustache looks keys up in.
///
/// swift-mustache resolves a key on a plain value with `Mirror`, scanning every property at each level of
/// the context stack, for every tag; on a list page that dominated the request. The tree is built once per
/// render instead, after which each lookup is a dictionary hit. It is built through the view model's
/// synthesized `Encodable` conformance, which is compiled code: a first version read the model with
/// `Mirror` once, and that pass alone (the runtime demangles each field's type name on every read) was a
/// fifth of the CPU of the back office's 50-row list page. Stored properties only, as with `Mirror`; an
/// absent optional leaves its key out.
///
/// The tree is made of the small types below, not of `String`, `Bool`, `[String: Any]` and `[Any]`: for each
/// tag Mustache tries several protocol casts on the value it found (custom representation, parent, custom
/// rendering, lambda, optional), and on Linux a failed cast of a Foundation-bridgeable value (a string, a
/// Bool, an array, a dictionary) first bridges it to NSString, NSNumber, NSArray or NSDictionary to ask the
/// bridged object: a profile of the back office's list page showed a fifth of its CPU there. These types
/// are not bridgeable, and each conforms to what Mustache asks of it, so every cast is a cached lookup.
/// `make(_:)` is in TemplateTreeEncoder.swift.
enum TemplateContext {}

/// A struct or class of a view model: its properties by name.
struct TemplateNode: MustacheParent {
    var values: [String: Any]
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
