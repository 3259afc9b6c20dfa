import Foundation

public struct Fee: Sendable, Codable, Equatable {
    public var description: String
    /// Amount in Vietnamese đồng.
    public var amount: Int64
}
