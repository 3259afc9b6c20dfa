import Foundation

/// Checks a whole catalog file and collects every problem before anything is written.
struct CatalogValidator {
    /// Agency and field codes already in the database, which procedures may reference.
    var existingAgencyCodes: Set<String> = []
    var existingFieldCodes: Set<String> = []
    /// Where template paths are resolved from (the catalog file's directory).
    var baseDirectory: URL
    var maxTemplateBytes = 10 * 1024 * 1024

    private static let templateTypes = [
        "pdf": "application/pdf",
        "doc": "application/msword",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls": "application/vnd.ms-excel",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt": "application/vnd.oasis.opendocument.text",
    ]

    /// Parses and validates JSON data; throws `CatalogValidationError` listing every problem.
    func validate(data: Data) throws -> ValidCatalog {
        let file: CatalogFile
        do {
            file = try JSONDecoder().decode(CatalogFile.self, from: data)
        } catch let error as DecodingError {
            throw CatalogValidationError(problems: [Self.problem(from: error)])
        }
        return try validate(file)
    }

    func validate(_ file: CatalogFile) throws -> ValidCatalog {
        var problems = Problems()
        if file.formatVersion != 1 {
            problems.add("formatVersion", "phiên bản định dạng phải là 1")
        }

        var agencies: [Agency] = []
        var agencyCodes = Set<String>()
        for (index, entry) in (file.agencies ?? []).enumerated() {
            let path = "agencies[\(index)]"
            let code = problems.required(entry.code, "\(path).code", "mã cơ quan")
            if let code {
                if !Identifiers.isAgencyCode(code) {
                    problems.add("\(path).code", "mã cơ quan \"\(code)\" không đúng định dạng (ví dụ 000.00.01.H22)")
                } else if !agencyCodes.insert(code).inserted {
                    problems.add("\(path).code", "mã cơ quan \"\(code)\" bị trùng")
                }
            }
            let name = problems.required(entry.name, "\(path).name", "tên cơ quan")
            let province = problems.required(entry.province, "\(path).province", "tỉnh, thành phố")
            if let email = entry.email, !email.isEmpty, !Identifiers.isEmail(email) {
                problems.add("\(path).email", "địa chỉ e-mail \"\(email)\" không hợp lệ")
            }
            var bankAccount: BankAccount?
            if let bank = entry.bankAccount {
                let number = problems.required(bank.accountNumber, "\(path).bankAccount.accountNumber", "số tài khoản")
                let bankName = problems.required(bank.bankName, "\(path).bankAccount.bankName", "tên ngân hàng")
                let holder = problems.required(bank.accountHolder, "\(path).bankAccount.accountHolder", "chủ tài khoản")
                if let bin = bank.bin, !(bin.utf8.count == 6 && bin.utf8.allSatisfy { (0x30...0x39).contains($0) }) {
                    problems.add("\(path).bankAccount.bin", "mã BIN ngân hàng phải gồm 6 chữ số (\(bin))")
                }
                if let number, let bankName, let holder {
                    bankAccount = BankAccount(accountNumber: number, bankName: bankName, accountHolder: holder, bin: bank.bin)
                }
            }
            if let code, let name, let province {
                agencies.append(Agency(
                    code: code, name: name, province: province, address: entry.address ?? "",
                    phone: entry.phone ?? "", email: entry.email ?? "", website: entry.website ?? "",
                    bankAccount: bankAccount))
            }
        }

        var fields: [Field] = []
        var fieldCodes = Set<String>()
        for (index, entry) in (file.fields ?? []).enumerated() {
            let path = "fields[\(index)]"
            let code = problems.required(entry.code, "\(path).code", "mã lĩnh vực")
            if let code {
                if !Identifiers.isSlug(code) {
                    problems.add("\(path).code", "mã lĩnh vực \"\(code)\" chỉ gồm chữ thường không dấu, số và dấu gạch ngang")
                } else if !fieldCodes.insert(code).inserted {
                    problems.add("\(path).code", "mã lĩnh vực \"\(code)\" bị trùng")
                }
            }
            let name = problems.required(entry.name, "\(path).name", "tên lĩnh vực")
            if let code, let name { fields.append(Field(code: code, name: name)) }
        }

        let knownAgencies = agencyCodes.union(existingAgencyCodes)
        let knownFields = fieldCodes.union(existingFieldCodes)
        var procedureKeys = Set<String>()
        var procedures: [ValidProcedure] = []
        for (index, entry) in (file.procedures ?? []).enumerated() {
            let path = "procedures[\(index)]"
            if let procedure = validateProcedure(
                entry, path: path, knownAgencies: knownAgencies, knownFields: knownFields, problems: &problems)
            {
                if procedureKeys.insert("\(procedure.agencyCode)|\(procedure.code)").inserted {
                    procedures.append(procedure)
                } else {
                    problems.add("\(path).code", "mã thủ tục \"\(procedure.code)\" bị trùng trong cùng cơ quan \(procedure.agencyCode)")
                }
            }
        }

        if !problems.list.isEmpty { throw CatalogValidationError(problems: problems.list) }
        return ValidCatalog(agencies: agencies, fields: fields, procedures: procedures)
    }

    private func validateProcedure(
        _ entry: CatalogFile.ProcedureEntry, path: String, knownAgencies: Set<String>, knownFields: Set<String>,
        problems: inout Problems
    ) -> ValidProcedure? {
        let before = problems.list.count
        let code = problems.required(entry.code, "\(path).code", "mã thủ tục")
        if let code, !Identifiers.isProcedureCode(code) {
            problems.add("\(path).code", "mã thủ tục \"\(code)\" không hợp lệ (chỉ gồm chữ, số, dấu chấm, gạch ngang; tối đa 32 ký tự)")
        }
        let name = problems.required(entry.name, "\(path).name", "tên thủ tục", maxLength: 500)
        let agencyCode = problems.required(entry.agencyCode, "\(path).agencyCode", "mã cơ quan")
        if let agencyCode, !knownAgencies.contains(agencyCode) {
            problems.add("\(path).agencyCode", "không có cơ quan mã \"\(agencyCode)\"")
        }
        let fieldCode = problems.required(entry.fieldCode, "\(path).fieldCode", "mã lĩnh vực")
        if let fieldCode, !knownFields.contains(fieldCode) {
            problems.add("\(path).fieldCode", "không có lĩnh vực mã \"\(fieldCode)\"")
        }
        let onlineLevel = problems.oneOf(entry.onlineLevel, OnlineLevel.self, "\(path).onlineLevel")
        if let legacy = entry.legacyLevel, !(1...4).contains(legacy) {
            problems.add("\(path).legacyLevel", "mức độ cũ phải từ 1 đến 4")
        }
        let applicantTypes = problems.list(entry.applicantTypes, ApplicantType.self, "\(path).applicantTypes")
        let processingDays = entry.processingDays
        if processingDays == nil {
            problems.add("\(path).processingDays", "thiếu thời hạn giải quyết")
        } else if let days = processingDays, !(1...365).contains(days) {
            problems.add("\(path).processingDays", "thời hạn giải quyết phải từ 1 đến 365 ngày làm việc")
        }
        var fees: [Fee] = []
        for (feeIndex, fee) in (entry.fees ?? []).enumerated() {
            let feePath = "\(path).fees[\(feeIndex)]"
            let description = problems.required(fee.description, "\(feePath).description", "nội dung phí")
            if let amount = fee.amount {
                if amount < 0 {
                    problems.add("\(feePath).amount", "số tiền không được âm (\(amount))")
                } else if amount > 1_000_000_000_000 {
                    problems.add("\(feePath).amount", "số tiền quá lớn (\(amount))")
                } else if let description {
                    fees.append(Fee(description: description, amount: amount, variable: fee.variable ?? false))
                }
            } else {
                problems.add("\(feePath).amount", "thiếu số tiền")
            }
        }
        let steps = (entry.steps ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        if steps.isEmpty || steps.contains(where: \.isEmpty) {
            problems.add("\(path).steps", "cần ít nhất một bước thực hiện, không bước nào để trống")
        }
        let process = validateProcess(entry.process, processingDays: processingDays, path: "\(path).process", problems: &problems)
        var legalBasis: [LegalDocument] = []
        for (legalIndex, legal) in (entry.legalBasis ?? []).enumerated() {
            let legalPath = "\(path).legalBasis[\(legalIndex)]"
            let reference = problems.required(legal.reference, "\(legalPath).reference", "số hiệu văn bản")
            if let reference {
                legalBasis.append(LegalDocument(reference: reference, title: legal.title ?? "", issuedOn: legal.issuedOn))
            }
        }
        var documents: [NewRequiredDocument] = []
        for (docIndex, document) in (entry.requiredDocuments ?? []).enumerated() {
            let docPath = "\(path).requiredDocuments[\(docIndex)]"
            let docName = problems.required(document.name, "\(docPath).name", "tên giấy tờ", maxLength: 1000)
            let originals = document.originals ?? 0, copies = document.copies ?? 0
            if originals < 0 || copies < 0 || originals + copies == 0 {
                problems.add("\(docPath)", "số bản chính và bản sao không được âm và không cùng bằng 0")
            }
            let formats = problems.list(document.formats, DocumentFormat.self, "\(docPath).formats")
            if let docName, let formats {
                documents.append(NewRequiredDocument(
                    name: docName, originals: originals, copies: copies, mandatory: document.mandatory ?? true,
                    formats: formats))
            }
        }
        var templates: [TemplateUpload] = []
        for (templateIndex, template) in (entry.formTemplates ?? []).enumerated() {
            let templatePath = "\(path).formTemplates[\(templateIndex)]"
            let templateName = problems.required(template.name, "\(templatePath).name", "tên biểu mẫu")
            guard let file = problems.required(template.file, "\(templatePath).file", "tệp biểu mẫu") else { continue }
            if let upload = loadTemplate(file, path: "\(templatePath).file", problems: &problems), let templateName {
                templates.append(TemplateUpload(
                    position: templateIndex, name: templateName, fileName: upload.fileName,
                    contentType: upload.contentType, bytes: upload.bytes))
            }
        }
        let delivery = problems.list(entry.resultDelivery, DeliveryMethod.self, "\(path).resultDelivery")
        var formFields: [FormField] = []
        var fieldKeys = Set<String>()
        for (fieldIndex, field) in (entry.formFields ?? []).enumerated() {
            let fieldPath = "\(path).formFields[\(fieldIndex)]"
            let key = problems.required(field.key, "\(fieldPath).key", "khóa trường")
            if let key, !Identifiers.isFieldKey(key) || !fieldKeys.insert(key).inserted {
                problems.add("\(fieldPath).key", "khóa \"\(key)\" không hợp lệ hoặc bị trùng")
            }
            let label = problems.required(field.label, "\(fieldPath).label", "nhãn trường")
            let type = problems.oneOf(field.type, FormFieldType.self, "\(fieldPath).type")
            if type == .select && (field.options ?? []).isEmpty {
                problems.add("\(fieldPath).options", "trường chọn cần danh sách lựa chọn")
            }
            if let key, let label, let type {
                formFields.append(FormField(
                    key: key, label: label, type: type, required: field.required ?? false, options: field.options,
                    maxLength: field.maxLength))
            }
        }

        guard problems.list.count == before,
              let code, let name, let agencyCode, let fieldCode, let onlineLevel, let applicantTypes,
              let processingDays, let delivery
        else { return nil }
        return ValidProcedure(
            code: code, name: name, agencyCode: agencyCode, fieldCode: fieldCode,
            description: entry.description ?? "", onlineLevel: onlineLevel, legacyLevel: entry.legacyLevel,
            onlineOnly: entry.onlineOnly ?? false, applicantTypes: applicantTypes, processingDays: processingDays,
            processingTimeNote: entry.processingTimeNote ?? "", fees: fees, steps: steps, process: process,
            requirements: entry.requirements ?? "", resultName: entry.resultName ?? "", legalBasis: legalBasis,
            requiredDocuments: documents, templates: templates, resultDelivery: delivery, formFields: formFields)
    }

    /// The timed process: the desk receives first and returns last, a leader approves, each allowance is in
    /// half working days, and the allowances add up to the processing time (a dossier's appointment date and
    /// its steps' due moments then agree).
    private func validateProcess(
        _ entries: [CatalogFile.ProcessStepEntry]?, processingDays: Int?, path: String, problems: inout Problems
    ) -> [ProcessStep] {
        guard let entries else {
            problems.add(path, "thiếu quy trình xử lý (các bước, đơn vị thực hiện, vai trò, thời gian)")
            return []
        }
        if entries.count < 2 {
            problems.add(path, "quy trình cần ít nhất 2 bước: tiếp nhận hồ sơ và trả kết quả")
        }
        let allowed = ProcessStep.stepRoles.map(\.rawValue).joined(separator: ", ")
        var steps: [ProcessStep] = []
        var roles: [StaffRole?] = []
        for (index, entry) in entries.enumerated() {
            let stepPath = "\(path)[\(index)]"
            let name = problems.required(entry.name, "\(stepPath).name", "tên bước", maxLength: 200)
            let unit = problems.required(entry.unit, "\(stepPath).unit", "đơn vị thực hiện", maxLength: 200)
            var role: StaffRole?
            if let raw = entry.role, let value = StaffRole(rawValue: raw), ProcessStep.stepRoles.contains(value) {
                role = value
            } else if let raw = entry.role {
                problems.add("\(stepPath).role", "vai trò \"\(raw)\" không hợp lệ; cho phép: \(allowed)")
            } else {
                problems.add("\(stepPath).role", "thiếu vai trò; cho phép: \(allowed)")
            }
            roles.append(role)
            let halfDays = Self.halfDays(entry.days, path: "\(stepPath).days", problems: &problems)
            if let name, let unit, let role, let halfDays {
                steps.append(ProcessStep(name: name, unit: unit, role: role, halfDays: halfDays))
            }
        }
        if let first = roles.first ?? nil, first != .receptionist {
            problems.add("\(path)[0].role", "bước đầu tiên là tiếp nhận hồ sơ: vai trò phải là receptionist (Bộ phận tiếp nhận và trả kết quả)")
        }
        if roles.count >= 2, let last = roles[roles.count - 1], last != .receptionist {
            problems.add("\(path)[\(roles.count - 1)].role", "bước cuối cùng là trả kết quả: vai trò phải là receptionist (Bộ phận tiếp nhận và trả kết quả)")
        }
        if !roles.isEmpty, !roles.contains(nil), !roles.contains(.leader) {
            problems.add(path, "quy trình cần ít nhất một bước lãnh đạo xem xét, phê duyệt (vai trò leader)")
        }
        if steps.count == entries.count, !steps.isEmpty, let processingDays, (1...365).contains(processingDays) {
            let total = steps.reduce(0) { $0 + $1.halfDays }
            if total != processingDays * 2 {
                problems.add(path, "tổng thời gian các bước (\(ProcessStep.dayCount(halfDays: total)) ngày) phải bằng thời hạn giải quyết (\(processingDays) ngày)")
            }
        }
        return steps
    }

    /// A step's allowance in half days: more than 0, at most a year, a multiple of 0.5.
    private static func halfDays(_ days: Double?, path: String, problems: inout Problems) -> Int? {
        guard let days else {
            problems.add(path, "thiếu thời gian thực hiện của bước (số ngày làm việc)")
            return nil
        }
        let text = days == days.rounded() && abs(days) < 1e9
            ? String(Int(days)) : String(days).replacingOccurrences(of: ".", with: ",")
        guard days > 0 else {
            problems.add(path, "thời gian của bước phải lớn hơn 0 (đang là \(text))")
            return nil
        }
        guard days <= 365 else {
            problems.add(path, "thời gian của bước không quá 365 ngày làm việc (đang là \(text))")
            return nil
        }
        let half = days * 2
        guard half == half.rounded() else {
            problems.add(path, "thời gian của bước tính theo nửa ngày làm việc (0,5; 1; 1,5 …), không nhận \(text)")
            return nil
        }
        return Int(half)
    }

    /// Reads a template file named relative to the catalog, refusing paths that leave its directory.
    private func loadTemplate(_ file: String, path: String, problems: inout Problems)
        -> (fileName: String, contentType: String, bytes: [UInt8])?
    {
        let components = file.split(separator: "/", omittingEmptySubsequences: false)
        guard !file.hasPrefix("/"), !components.contains(".."), !components.contains(""), !file.contains("\\") else {
            problems.add(path, "đường dẫn \"\(file)\" phải nằm trong thư mục của tệp danh mục")
            return nil
        }
        let fileName = String(components.last ?? "")
        let ext = (fileName as NSString).pathExtension.lowercased()
        guard let contentType = Self.templateTypes[ext] else {
            problems.add(path, "biểu mẫu phải là PDF, DOC, DOCX, XLS, XLSX hoặc ODT")
            return nil
        }
        let url = baseDirectory.appendingPathComponent(file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            problems.add(path, "không đọc được tệp \"\(file)\"")
            return nil
        }
        guard !data.isEmpty, data.count <= maxTemplateBytes else {
            problems.add(path, "tệp \"\(file)\" rỗng hoặc lớn hơn \(maxTemplateBytes / 1_048_576) MB")
            return nil
        }
        return (fileName, contentType, [UInt8](data))
    }

    private static func problem(from error: DecodingError) -> CatalogProblem {
        func pathString(_ codingPath: [any CodingKey]) -> String {
            var result = ""
            for key in codingPath {
                if let index = key.intValue { result += "[\(index)]" } else {
                    result += result.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return result.isEmpty ? "(tệp)" : result
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return CatalogProblem(path: pathString(context.codingPath), message: "sai kiểu dữ liệu")
        case .keyNotFound(let key, let context):
            return CatalogProblem(path: pathString(context.codingPath + [key]), message: "thiếu trường")
        case .dataCorrupted(let context):
            return CatalogProblem(path: pathString(context.codingPath), message: "không phải JSON hợp lệ")
        @unknown default:
            return CatalogProblem(path: "(tệp)", message: "không đọc được tệp")
        }
    }
}

/// The problems found so far, with helpers for the common checks.
private struct Problems {
    var list: [CatalogProblem] = []

    mutating func add(_ path: String, _ message: String) {
        list.append(CatalogProblem(path: path, message: message))
    }

    mutating func required(_ value: String?, _ path: String, _ what: String, maxLength: Int = 2000) -> String? {
        let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if trimmed.isEmpty {
            add(path, "thiếu \(what)")
            return nil
        }
        if trimmed.count > maxLength {
            add(path, "\(what) dài quá \(maxLength) ký tự")
            return nil
        }
        return trimmed
    }

    mutating func oneOf<T: RawRepresentable & CaseIterable>(_ value: String?, _ type: T.Type, _ path: String) -> T?
    where T.RawValue == String {
        guard let value, let result = T(rawValue: value) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            add(path, "giá trị \"\(value ?? "")\" không hợp lệ; cho phép: \(allowed)")
            return nil
        }
        return result
    }

    mutating func list<T: RawRepresentable & CaseIterable & Equatable>(_ values: [String]?, _ type: T.Type, _ path: String) -> [T]?
    where T.RawValue == String {
        guard let values, !values.isEmpty else {
            add(path, "cần ít nhất một giá trị")
            return nil
        }
        var result: [T] = []
        for (index, value) in values.enumerated() {
            guard let item = oneOf(value, type, "\(path)[\(index)]") else { return nil }
            if !result.contains(item) { result.append(item) }
        }
        return result
    }
}
