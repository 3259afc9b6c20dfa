import Foundation

/// The catalog file as written (docs/catalog-format.md). Everything is optional here so that validation,
/// not decoding, reports what is missing, with the entry's path.
struct CatalogFile: Decodable, Sendable {
    var formatVersion: Int?
    var agencies: [AgencyEntry]?
    var fields: [FieldEntry]?
    var procedures: [ProcedureEntry]?

    struct AgencyEntry: Decodable, Sendable {
        var code: String?
        var name: String?
        var province: String?
        var address: String?
        var phone: String?
        var email: String?
        var website: String?
        var bankAccount: BankAccountEntry?
    }

    struct BankAccountEntry: Decodable, Sendable {
        var accountNumber: String?
        var bankName: String?
        var accountHolder: String?
        /// The bank's 6-digit NAPAS BIN, for VietQR codes.
        var bin: String?
    }

    struct FieldEntry: Decodable, Sendable {
        var code: String?
        var name: String?
    }

    struct ProcedureEntry: Decodable, Sendable {
        var code: String?
        var name: String?
        var agencyCode: String?
        var fieldCode: String?
        var description: String?
        var onlineLevel: String?
        var legacyLevel: Int?
        var onlineOnly: Bool?
        var applicantTypes: [String]?
        var processingDays: Int?
        var processingTimeNote: String?
        var fees: [FeeEntry]?
        var steps: [String]?
        var process: [ProcessStepEntry]?
        var requirements: String?
        var resultName: String?
        var legalBasis: [LegalEntry]?
        var requiredDocuments: [DocumentEntry]?
        var formTemplates: [TemplateEntry]?
        var resultDelivery: [String]?
        var formFields: [FormFieldEntry]?
    }

    struct FeeEntry: Decodable, Sendable {
        var description: String?
        var amount: Int64?
        var variable: Bool?
    }

    /// One timed step: `days` in working days, in half-day steps (0.5, 1, 1.5 …).
    struct ProcessStepEntry: Decodable, Sendable {
        var name: String?
        var unit: String?
        var role: String?
        var days: Double?
    }

    struct LegalEntry: Decodable, Sendable {
        var reference: String?
        var title: String?
        var issuedOn: String?
    }

    struct DocumentEntry: Decodable, Sendable {
        var name: String?
        var originals: Int?
        var copies: Int?
        var mandatory: Bool?
        var formats: [String]?
    }

    struct TemplateEntry: Decodable, Sendable {
        var name: String?
        var file: String?
    }

    struct FormFieldEntry: Decodable, Sendable {
        var key: String?
        var label: String?
        var type: String?
        var required: Bool?
        var options: [String]?
        var maxLength: Int?
    }
}

