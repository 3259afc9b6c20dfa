import Foundation

struct SelectOption: Sendable, Encodable {
    var value: String
    var label: String
    var selected: Bool
}
