import Foundation

/// A downloadable form (biểu mẫu).
public struct FormTemplate: Sendable, Codable, Equatable {
    public var position: Int
    public var name: String
    public var fileName: String
    public var contentType: String
    public var sha256: String
    public var size: Int64
}
