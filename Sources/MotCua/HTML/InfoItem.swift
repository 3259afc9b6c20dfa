import Foundation

struct InfoItem: Sendable, Encodable {
    var label: String
    var value: String
}
