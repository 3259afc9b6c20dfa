import Foundation

struct InfoItem: Sendable {
    var label: String
    var value: String
}
