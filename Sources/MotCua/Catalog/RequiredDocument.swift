import Foundation

public enum DocumentFormat: String, Sendable, Codable, CaseIterable {
    case pdf
    case jpg
    case png
}

/// A document (thành phần hồ sơ) the applicant must provide.
public struct RequiredDocument: Sendable, Codable, Equatable {
    public var id: Int64
    public var position: Int
    public var name: String
    public var originals: Int
    public var copies: Int
    public var mandatory: Bool
    public var formats: [DocumentFormat]
}
