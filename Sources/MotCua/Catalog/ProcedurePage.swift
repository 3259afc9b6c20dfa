import Foundation

struct InfoRow: Sendable, Encodable {
    var label: String
    var value: String
}

struct DocumentRow: Sendable, Encodable {
    var number: Int
    var name: String
    var originals: Int
    var copies: Int
    var mandatory: Bool
    var formats: String
}

struct LegalRow: Sendable, Encodable {
    var reference: String
    var title: String?
    var issuedOn: String?
}

struct TemplateRow: Sendable, Encodable {
    var name: String
    var fileName: String
    var url: String
    var sizeText: String
    var typeText: String
}

struct StepRow: Sendable, Encodable {
    var number: Int
    var text: String
}

/// A timed step of the process, as the "Quy trình" tab's table shows it.
struct ProcessRow: Sendable, Encodable {
    var number: Int
    var name: String
    var unit: String
    var allowance: String
}

struct ProcedureTab: Sendable, Encodable {
    var label: String
    var url: String
    var current: Bool
}

struct ProcedurePage: PageModel {
    static let template = "catalog/procedure"

    enum Tab: String, CaseIterable, Sendable {
        case general = "thong-tin"
        case process = "quy-trinh"
        case documents = "ho-so"
        case legal = "can-cu"
        case templates = "bieu-mau"
        case faq = "hoi-dap"

        var label: String {
            switch self {
            case .general: "Thông tin chung"
            case .process: "Quy trình"
            case .documents: "Hồ sơ cần thiết"
            case .legal: "Căn cứ pháp lý"
            case .templates: "Biểu mẫu"
            case .faq: "Câu hỏi thường gặp"
            }
        }
    }

    var chrome: PageChrome
    var name: String
    var code: String
    var agencyName: String
    var catalogURL: String
    var fileURL: String
    var tabs: [ProcedureTab]
    var currentTabLabel: String
    var isGeneral: Bool
    var isProcess: Bool
    var isDocuments: Bool
    var isLegal: Bool
    var isTemplates: Bool
    var isFAQ: Bool
    /// The published questions and answers (read only for the FAQ tab).
    var faq: [FAQRow] = []
    var hasFAQ = false
    var askURL: String
    var general: [InfoRow]
    /// Optional text is nil when empty: Mustache renders a section for any string, even "".
    var description: String?
    var requirements: String?
    var steps: [StepRow]
    var process: [ProcessRow]
    var hasProcess: Bool
    /// "10 ngày làm việc": the steps' allowances added up (equal to the processing time).
    var processTotal: String
    var documents: [DocumentRow]
    var legal: [LegalRow]
    var templates: [TemplateRow]
    var hasTemplates: Bool
    var hasLegal: Bool

    init(procedure p: Procedure, tab: Tab, chrome: PageChrome) {
        self.chrome = chrome
        name = p.name
        code = p.code
        agencyName = p.agency.name
        catalogURL = SiteURL.catalog
        fileURL = "/thu-tuc/\(p.agency.code)/\(p.code)/nop-ho-so"
        tabs = Tab.allCases.map {
            ProcedureTab(
                label: $0.label,
                url: SiteURL.procedure(agencyCode: p.agency.code, code: p.code, tab: $0 == .general ? nil : $0.rawValue),
                current: $0 == tab)
        }
        currentTabLabel = tab.label
        isGeneral = tab == .general
        isProcess = tab == .process
        isDocuments = tab == .documents
        isLegal = tab == .legal
        isTemplates = tab == .templates
        isFAQ = tab == .faq
        askURL = SiteURL.ask(agencyCode: p.agency.code, procedureCode: p.code)
        description = p.description.nonEmpty
        requirements = p.requirements.nonEmpty
        var level = p.onlineLevel.label
        if let legacy = p.legacyLevel { level += " (mức độ \(legacy) theo Nghị định 43/2011/NĐ-CP)" }
        if p.onlineOnly { level += "; chỉ tiếp nhận trực tuyến" }
        let fees = p.fees.isEmpty
            ? "Không thu phí, lệ phí"
            : p.fees.map { "\($0.description): \(VietnameseFormat.money($0.amount))" }.joined(separator: "; ")
        var days = "\(p.processingDays) ngày làm việc"
        if !p.processingTimeNote.isEmpty { days += " (\(p.processingTimeNote))" }
        general = [
            InfoRow(label: "Mã thủ tục", value: p.code),
            InfoRow(label: "Lĩnh vực", value: p.field.name),
            InfoRow(label: "Cơ quan thực hiện", value: p.agency.name),
            InfoRow(label: "Mức độ dịch vụ công trực tuyến", value: level),
            InfoRow(label: "Đối tượng thực hiện", value: p.applicantTypes.map(\.label).joined(separator: ", ")),
            InfoRow(label: "Thời hạn giải quyết", value: days),
            InfoRow(label: "Phí, lệ phí", value: fees),
            InfoRow(label: "Kết quả thực hiện", value: p.resultName.isEmpty ? "—" : p.resultName),
            InfoRow(label: "Cách thức nhận kết quả", value: p.resultDelivery.map(\.label).joined(separator: "; ")),
            InfoRow(label: "Địa chỉ tiếp nhận", value: [p.agency.name, p.agency.address].filter { !$0.isEmpty }.joined(separator: ", ")),
            InfoRow(label: "Điện thoại", value: p.agency.phone.isEmpty ? "—" : p.agency.phone),
        ]
        if let bank = p.agency.bankAccount, !p.fees.isEmpty {
            general.append(InfoRow(
                label: "Tài khoản nộp phí",
                value: "\(bank.accountNumber) – \(bank.accountHolder), \(bank.bankName)"))
        }
        // The list numbers the steps; a "Bước 2:" written in the data would number them twice.
        steps = p.steps.enumerated().map {
            StepRow(number: $0.offset + 1, text: $0.element.replacing(/^\s*Bước\s*\d+\s*[:.\-–]\s*/, with: ""))
        }
        process = p.process.enumerated().map {
            ProcessRow(number: $0.offset + 1, name: $0.element.name, unit: $0.element.unit, allowance: $0.element.allowanceText)
        }
        hasProcess = !p.process.isEmpty
        processTotal = "\(ProcessStep.dayCount(halfDays: p.process.reduce(0) { $0 + $1.halfDays })) ngày làm việc"
        documents = p.requiredDocuments.map {
            DocumentRow(
                number: $0.position + 1, name: $0.name, originals: $0.originals, copies: $0.copies,
                mandatory: $0.mandatory, formats: $0.formats.map { $0.rawValue.uppercased() }.joined(separator: ", "))
        }
        hasLegal = !p.legalBasis.isEmpty
        hasTemplates = !p.formTemplates.isEmpty
        legal = p.legalBasis.map { LegalRow(reference: $0.reference, title: $0.title.nonEmpty, issuedOn: $0.issuedOn.flatMap(VietnameseFormat.date)) }
        templates = p.formTemplates.map {
            TemplateRow(
                name: $0.name, fileName: $0.fileName,
                url: SiteURL.formTemplate(agencyCode: p.agency.code, procedureCode: p.code, position: $0.position),
                sizeText: Self.sizeText($0.size),
                typeText: ($0.fileName.split(separator: ".").last.map { String($0).uppercased() }) ?? "")
        }
    }

    static func sizeText(_ bytes: Int64) -> String {
        bytes < 1024 ? "\(bytes) B" : bytes < 1_048_576 ? "\(bytes / 1024) KB" : String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}
