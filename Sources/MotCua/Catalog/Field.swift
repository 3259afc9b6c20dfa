import Foundation

/// A field (lĩnh vực) grouping procedures.
public struct Field: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
}
