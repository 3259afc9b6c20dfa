import Foundation

/// Turns a typed view model into the nested dictionaries and arrays Mustache looks keys up in.
///
/// swift-mustache resolves a key on a plain value with `Mirror`, scanning every property at each level of
/// the context stack, for every tag; on a list page that dominated the request. One reflection pass per
/// render instead, after which each lookup is a dictionary hit. View models stay typed `Sendable` structs.
enum TemplateContext {
    static func make(_ value: Any) -> Any {
        switch value {
        case is String, is Bool, is Int, is Int64, is Double:
            return value
        default:
            break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first?.value else { return NSNull() }
            return make(wrapped)
        case .struct, .class:
            var dictionary: [String: Any] = [:]
            dictionary.reserveCapacity(mirror.children.count)
            for child in mirror.children {
                guard let label = child.label else { continue }
                let converted = make(child.value)
                // A nil optional is left out, as Mustache did with the struct: the key is simply absent.
                if !(converted is NSNull) { dictionary[label] = converted }
            }
            return dictionary
        case .collection:
            // Through the mirror, not `as [Any]`: that cast bridges to NSArray on Linux and was a fifth of a render.
            return mirror.children.map { make($0.value) }
        default:
            return value
        }
    }
}
