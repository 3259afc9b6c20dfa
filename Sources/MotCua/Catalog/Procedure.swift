/// The public catalog's domain values. They are plain `Sendable` values, never database rows.

/// A procedure (thủ tục hành chính) as one agency offers it.
public struct Procedure: Sendable, Equatable {
    public var id: Int64
    public var code: String
    public var name: String
    public var agency: Agency
    public var field: Field
    public var description: String
    public var onlineLevel: OnlineLevel
    public var legacyLevel: Int?
    public var onlineOnly: Bool
    public var applicantTypes: [ApplicantType]
    public var processingDays: Int
    public var processingTimeNote: String
    public var fees: [Fee]
    public var steps: [String]
    public var requirements: String
    public var resultName: String
    public var legalBasis: [LegalDocument]
    public var requiredDocuments: [RequiredDocument]
    public var formTemplates: [FormTemplate]
    public var resultDelivery: [DeliveryMethod]
    public var formFields: [FormField]
    /// The timed steps (ISO điện tử) a dossier goes through after acceptance.
    public var process: [ProcessStep] = []
}

