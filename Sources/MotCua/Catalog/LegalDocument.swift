import Foundation

public struct LegalDocument: Sendable, Codable, Equatable {
    public var reference: String
    public var title: String
    public var issuedOn: String?
}
