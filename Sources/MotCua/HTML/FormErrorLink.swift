import Foundation

/// One entry of a form's error summary: a link to the field (`#id`) and its message.
struct FormErrorLink: Sendable, Encodable {
    var href: String
    var message: String
}
