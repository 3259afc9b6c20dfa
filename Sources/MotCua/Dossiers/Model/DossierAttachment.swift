import Foundation

/// Whose file: the applicant's documents, or the agency's result.
public enum AttachmentKind: String, Sendable, Codable {
    case applicant
    case result
}

/// A file attached to one of the procedure's required documents.
public struct DossierAttachment: Sendable, Equatable {
    public var id: Int64
    public var documentPosition: Int
    public var sha256: String
    public var size: Int64
    public var contentType: String
    public var displayName: String
    public var kind: AttachmentKind
}
