import Foundation

struct SelectOption: Sendable {
    var value: String
    var label: String
    var selected: Bool
}
