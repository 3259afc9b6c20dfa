import Foundation
import Hummingbird

struct ProcedureListDTO: ResponseCodable, Sendable {
    var items: [ProcedureSummaryDTO]
    var total: Int
    var page: Int
    var perPage: Int
}

struct ProcedureSummaryDTO: Codable, Sendable {
    var code: String
    var name: String
    var agencyCode: String
    var agencyName: String
    var fieldCode: String
    var fieldName: String
    var onlineLevel: OnlineLevel
    var legacyLevel: Int?
    var onlineOnly: Bool
    var applicantTypes: [ApplicantType]
    var processingDays: Int
    var totalFee: Int64
    var url: String

    init(_ s: ProcedureSummary) {
        code = s.code
        name = s.name
        agencyCode = s.agencyCode
        agencyName = s.agencyName
        fieldCode = s.fieldCode
        fieldName = s.fieldName
        onlineLevel = s.onlineLevel
        legacyLevel = s.legacyLevel
        onlineOnly = s.onlineOnly
        applicantTypes = s.applicantTypes
        processingDays = s.processingDays
        totalFee = s.totalFee
        url = SiteURL.procedure(agencyCode: s.agencyCode, code: s.code)
    }
}

struct ProcedureDTO: ResponseCodable, Sendable {
    struct AgencyRef: Codable, Sendable { var code: String; var name: String }
    struct DocumentDTO: Codable, Sendable {
        var position: Int
        var name: String
        var originals: Int
        var copies: Int
        var mandatory: Bool
        var formats: [DocumentFormat]
    }
    /// A timed step of the process; `days` in working days, in half-day steps (0.5, 1, 1.5 …).
    struct ProcessStepDTO: Codable, Sendable {
        var name: String
        var unit: String
        var role: StaffRole
        var days: Double
    }
    struct TemplateDTO: Codable, Sendable {
        var name: String
        var fileName: String
        var contentType: String
        var size: Int64
        var downloadUrl: String
    }

    var code: String
    var name: String
    var agency: AgencyRef
    var field: Field
    var description: String
    var onlineLevel: OnlineLevel
    var legacyLevel: Int?
    var onlineOnly: Bool
    var applicantTypes: [ApplicantType]
    var processingDays: Int
    var processingTimeNote: String
    var fees: [Fee]
    var steps: [String]
    var process: [ProcessStepDTO]
    var requirements: String
    var resultName: String
    var legalBasis: [LegalDocument]
    var requiredDocuments: [DocumentDTO]
    var formTemplates: [TemplateDTO]
    var resultDelivery: [DeliveryMethod]
    var formFields: [FormField]

    init(_ p: Procedure) {
        code = p.code
        name = p.name
        agency = AgencyRef(code: p.agency.code, name: p.agency.name)
        field = p.field
        description = p.description
        onlineLevel = p.onlineLevel
        legacyLevel = p.legacyLevel
        onlineOnly = p.onlineOnly
        applicantTypes = p.applicantTypes
        processingDays = p.processingDays
        processingTimeNote = p.processingTimeNote
        fees = p.fees
        steps = p.steps
        process = p.process.map { ProcessStepDTO(name: $0.name, unit: $0.unit, role: $0.role, days: $0.days) }
        requirements = p.requirements
        resultName = p.resultName
        legalBasis = p.legalBasis
        requiredDocuments = p.requiredDocuments.map {
            DocumentDTO(position: $0.position + 1, name: $0.name, originals: $0.originals, copies: $0.copies,
                        mandatory: $0.mandatory, formats: $0.formats)
        }
        formTemplates = p.formTemplates.map {
            TemplateDTO(name: $0.name, fileName: $0.fileName, contentType: $0.contentType, size: $0.size,
                        downloadUrl: SiteURL.formTemplate(agencyCode: p.agency.code, procedureCode: p.code, position: $0.position))
        }
        resultDelivery = p.resultDelivery
        formFields = p.formFields
    }
}
