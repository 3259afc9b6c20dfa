import Foundation

/// A form template file, read and checked, ready to store.
public struct TemplateUpload: Sendable {
    var position: Int
    var name: String
    var fileName: String
    var contentType: String
    var bytes: [UInt8]
}

/// A procedure that passed validation, with its template files loaded.
public struct ValidProcedure: Sendable {
    var code: String
    var name: String
    var agencyCode: String
    var fieldCode: String
    var description: String
    var onlineLevel: OnlineLevel
    var legacyLevel: Int?
    var onlineOnly: Bool
    var applicantTypes: [ApplicantType]
    var processingDays: Int
    var processingTimeNote: String
    var fees: [Fee]
    var steps: [String]
    var process: [ProcessStep]
    var requirements: String
    var resultName: String
    var legalBasis: [LegalDocument]
    var requiredDocuments: [NewRequiredDocument]
    var templates: [TemplateUpload]
    var resultDelivery: [DeliveryMethod]
    var formFields: [FormField]
}

public struct NewRequiredDocument: Sendable, Equatable {
    var name: String
    var originals: Int
    var copies: Int
    var mandatory: Bool
    var formats: [DocumentFormat]
}

/// A whole catalog file that passed validation: safe to write.
public struct ValidCatalog: Sendable {
    var agencies: [Agency]
    var fields: [Field]
    var procedures: [ValidProcedure]
}
