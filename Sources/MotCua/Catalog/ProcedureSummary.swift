import Foundation

/// What lists and search need of a procedure.
public struct ProcedureSummary: Sendable, Equatable {
    public var id: Int64
    public var code: String
    public var name: String
    public var agencyCode: String
    public var agencyName: String
    public var fieldCode: String
    public var fieldName: String
    public var onlineLevel: OnlineLevel
    public var legacyLevel: Int?
    public var onlineOnly: Bool
    public var applicantTypes: [ApplicantType]
    public var processingDays: Int
    public var totalFee: Int64
    /// Other searchable text (description, documents, result) besides the name.
    public var otherText: String
}
