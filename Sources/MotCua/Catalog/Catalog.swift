/// The public catalog's domain values. They are plain `Sendable` values, never database rows.

public struct BankAccount: Sendable, Codable, Equatable {
    public var accountNumber: String
    public var bankName: String
    public var accountHolder: String
}

public struct Agency: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var province: String
    public var address: String
    public var phone: String
    public var email: String
    public var website: String
    public var bankAccount: BankAccount?
}

/// A field (lĩnh vực) grouping procedures.
public struct Field: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
}

/// Online service level under Decree 42/2022/NĐ-CP.
public enum OnlineLevel: String, Sendable, Codable, CaseIterable {
    case full
    case partial

    public var label: String {
        switch self {
        case .full: "Toàn trình"
        case .partial: "Một phần"
        }
    }
}

public enum ApplicantType: String, Sendable, Codable, CaseIterable {
    case individual
    case organization

    public var label: String {
        switch self {
        case .individual: "Cá nhân"
        case .organization: "Tổ chức"
        }
    }
}

/// How the applicant receives the result.
public enum DeliveryMethod: String, Sendable, Codable, CaseIterable {
    case online
    case desk
    case post

    public var label: String {
        switch self {
        case .online: "Trực tuyến"
        case .desk: "Trực tiếp tại Bộ phận tiếp nhận và trả kết quả"
        case .post: "Qua dịch vụ bưu chính công ích"
        }
    }
}

public enum DocumentFormat: String, Sendable, Codable, CaseIterable {
    case pdf
    case jpg
    case png
}

public struct Fee: Sendable, Codable, Equatable {
    public var description: String
    /// Amount in Vietnamese đồng.
    public var amount: Int64
}

public struct LegalDocument: Sendable, Codable, Equatable {
    public var reference: String
    public var title: String
    public var issuedOn: String?
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

/// A downloadable form (biểu mẫu).
public struct FormTemplate: Sendable, Codable, Equatable {
    public var position: Int
    public var name: String
    public var fileName: String
    public var contentType: String
    public var sha256: String
    public var size: Int64
}

public enum FormFieldType: String, Sendable, Codable, CaseIterable {
    case text, textarea, number, date, email, phone, select
}

/// One of a procedure's own dossier fields, filled in when filing online.
public struct FormField: Sendable, Codable, Equatable {
    public var key: String
    public var label: String
    public var type: FormFieldType
    public var required: Bool
    public var options: [String]?
    public var maxLength: Int?
}

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
}

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
