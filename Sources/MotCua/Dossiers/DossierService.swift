import Foundation
import Logging
import SQLKit

/// Filing rules: who may file what, what a dossier needs before submission, and submission itself
/// (code, history and acknowledgement mail in one transaction). Status changes go through
/// `DossierStateMachine`.
struct DossierService: Sendable {
    let database: any Database
    let store: DossierStore
    let catalog: CatalogReader
    let publicURL: String

    init(database: any Database, catalog: CatalogReader, publicURL: String) {
        self.database = database
        self.store = DossierStore(database: database)
        self.catalog = catalog
        self.publicURL = publicURL
    }

    struct DraftInput: Sendable {
        var requestSummary: String = ""
        var values: [String: String] = [:]
        var deliveryMethod: DeliveryMethod?
        var deliveryAddress: String?
    }

    /// Starts a draft of `procedure` for a citizen or an organization whose kind the procedure accepts.
    func createDraft(applicant: User, agencyCode: String, procedureCode: String, input: DraftInput) async throws -> Dossier {
        guard let procedure = try await catalog.procedure(agencyCode: agencyCode, code: procedureCode) else {
            throw DossierError.notFound
        }
        try Self.checkMayFile(applicant, procedure)
        let errors = Self.validate(input, for: procedure)
        guard errors.isEmpty else { throw DossierError.invalidFields(errors) }
        let now = Clock.nowMilliseconds()
        let values = try JSONColumn.encode(input.values)
        return try await database.transaction { db in
            guard let row = try await db.raw("""
                INSERT INTO dossiers (procedure_id, agency_id, applicant_id, status, channel, request_summary, form_values,
                    delivery_method, delivery_address, created_at, updated_at)
                SELECT p.id, p.agency_id, \(bind: applicant.id), \(bind: DossierStatus.draft.rawValue), \(bind: DossierChannel.online.rawValue),
                    \(bind: input.requestSummary), \(bind: values), \(bind: input.deliveryMethod?.rawValue),
                    \(bind: input.deliveryAddress), \(bind: now), \(bind: now)
                FROM procedures p WHERE p.id = \(bind: procedure.id)
                RETURNING id
                """).first(),
                let dossier = try await DossierStore.dossier(id: try row.decode(column: "id"), in: db)
            else { throw DossierError.notSaved }
            return dossier
        }
    }

    /// Replaces what the applicant entered on their own draft (the files stay).
    func updateDraft(dossierID: Int64, applicant: User, input: DraftInput) async throws -> Dossier {
        let dossier = try await ownedDossier(dossierID, by: applicant)
        guard dossier.status == .draft else { throw DossierError.conflict("Hồ sơ đã nộp không sửa được thông tin.") }
        guard let procedure = try await catalog.procedure(agencyCode: dossier.agencyCode, code: dossier.procedureCode) else {
            throw DossierError.notFound
        }
        let errors = Self.validate(input, for: procedure)
        guard errors.isEmpty else { throw DossierError.invalidFields(errors) }
        let values = try JSONColumn.encode(input.values)
        return try await database.transaction { db in
            guard try await db.raw("""
                UPDATE dossiers SET request_summary = \(bind: input.requestSummary), form_values = \(bind: values),
                    delivery_method = \(bind: input.deliveryMethod?.rawValue), delivery_address = \(bind: input.deliveryAddress),
                    updated_at = \(bind: Clock.nowMilliseconds())
                WHERE id = \(bind: dossierID) AND status = \(bind: DossierStatus.draft.rawValue) RETURNING id
                """).first() != nil
            else { throw DossierError.conflict("Hồ sơ vừa được nộp; không sửa được nữa.") }
            guard let saved = try await DossierStore.dossier(id: dossierID, in: db) else { throw DossierError.notSaved }
            return saved
        }
    }

    /// Records a stored file as an attachment of one required document, on the applicant's own draft (or
    /// a dossier sent back for supplement).
    func addAttachment(dossierID: Int64, applicant: User, documentPosition: Int, file: StoredFile, contentType: String, displayName: String) async throws {
        let dossier = try await ownedDossier(dossierID, by: applicant)
        guard [.draft, .supplementRequested].contains(dossier.status) else {
            throw DossierError.refused("Chỉ thêm được tệp khi hồ sơ còn là bản nháp hoặc đang được yêu cầu bổ sung.")
        }
        guard let procedure = try await catalog.procedure(agencyCode: dossier.agencyCode, code: dossier.procedureCode),
              procedure.requiredDocuments.contains(where: { $0.position == documentPosition })
        else { throw DossierError.refused("Thành phần hồ sơ không tồn tại.") }
        try await database.transaction { db in
            try await DossierStore.insertAttachment(
                dossierID: dossierID, position: documentPosition, file: file, contentType: contentType, displayName: displayName,
                kind: .applicant, in: db)
        }
    }

    /// Submits the applicant's draft: the dossier gets its code and status 1, its first history entry and
    /// the acknowledgement mail, all in one transaction. Submitting an already submitted dossier again (a
    /// double click, a resent request) returns it unchanged.
    func submit(dossierID: Int64, applicant: User, at date: Date = Date()) async throws -> Dossier {
        let dossier = try await ownedDossier(dossierID, by: applicant)
        if dossier.status != .draft, dossier.code != nil { return dossier }
        guard applicant.emailVerified else {
            throw DossierError.refused("Vui lòng xác thực địa chỉ thư điện tử trước khi nộp hồ sơ (xem trang Tài khoản).")
        }
        guard let procedure = try await catalog.procedure(agencyCode: dossier.agencyCode, code: dossier.procedureCode) else {
            throw DossierError.notFound
        }
        try Self.checkMayFile(applicant, procedure)
        let input = DraftInput(requestSummary: dossier.requestSummary, values: dossier.formValues,
                               deliveryMethod: dossier.deliveryMethod, deliveryAddress: dossier.deliveryAddress)
        var errors = Self.validate(input, for: procedure)
        if dossier.deliveryMethod == nil { errors["delivery_method"] = "Vui lòng chọn cách nhận kết quả." }
        guard errors.isEmpty else { throw DossierError.invalidFields(errors) }
        let attached = Set(try await store.attachments(dossierID: dossierID).filter { $0.kind == .applicant }.map(\.documentPosition))
        let missing = procedure.requiredDocuments.filter { $0.mandatory && !attached.contains($0.position) }
        guard missing.isEmpty else {
            throw DossierError.refused("Còn thiếu giấy tờ bắt buộc: " + missing.map(\.name).joined(separator: "; ") + ".")
        }
        let day = DossierCode.day(at: date)
        let links = publicURL
        return try await database.transaction { db in
            // Read again inside the transaction: a concurrent submit of the same draft may have won.
            guard let current = try await DossierStore.dossier(id: dossierID, in: db) else { throw DossierError.notFound }
            if current.status != .draft { return current }
            let next = try Self.next(current.status, .submit, by: .applicant)
            guard let agency = try await db.raw("SELECT agency_id FROM dossiers WHERE id = \(bind: dossierID)").first() else {
                throw DossierError.notFound
            }
            let code = try await DossierStore.allocateCode(
                agencyID: try agency.decode(column: "agency_id"), agencyCode: current.agencyCode, day: day, in: db)
            let now = Clock.nowMilliseconds()
            try await db.raw("""
                UPDATE dossiers SET code = \(bind: code), status = \(bind: next.rawValue), submitted_at = \(bind: now),
                    updated_at = \(bind: now) WHERE id = \(bind: dossierID) AND status = \(bind: DossierStatus.draft.rawValue)
                """).run()
            try await DossierStore.recordEvent(
                dossierID: dossierID, actorID: applicant.id, action: .submit, from: current.status, to: next,
                note: "Nộp hồ sơ trực tuyến", in: db)
            try await Outbox.enqueue(
                to: applicant.email, subject: "Đã nhận hồ sơ \(code) – Cổng dịch vụ công MotCua",
                body: """
                    Xin chào \(applicant.displayName),

                    Hồ sơ "\(current.procedureName)" gửi \(current.agencyName) đã được đăng ký với mã hồ sơ \(code).
                    Bộ phận tiếp nhận sẽ kiểm tra và thông báo cho bạn việc tiếp nhận, yêu cầu bổ sung hoặc từ chối.

                    Tra cứu tình trạng hồ sơ: \(links)/tra-cuu?ma=\(code)

                    Cổng dịch vụ công MotCua
                    """,
                in: db)
            guard let saved = try await DossierStore.dossier(id: dossierID, in: db) else { throw DossierError.notSaved }
            return saved
        }
    }

    /// The applicant answers the desk's supplement request (files added on the dossier page beforehand)
    /// with a note; the dossier goes back to the desk.
    func answerSupplement(dossierID: Int64, applicant: User, note rawNote: String) async throws -> Dossier {
        _ = try await ownedDossier(dossierID, by: applicant)
        let note = rawNote.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !note.isEmpty else { throw DossierError.invalidFields(["note": "Vui lòng ghi nội dung đã bổ sung, sửa đổi."]) }
        guard note.count <= DossierWorkflow.noteLimit else {
            throw DossierError.invalidFields(["note": "Nội dung dài quá \(DossierWorkflow.noteLimit) ký tự."])
        }
        return try await apply(.supplement, to: dossierID, by: applicant, note: note)
    }

    /// The applicant withdraws a dossier the desk has not accepted yet.
    func withdraw(dossierID: Int64, applicant: User, reason: String) async throws -> Dossier {
        _ = try await ownedDossier(dossierID, by: applicant)
        return try await apply(.withdraw, to: dossierID, by: applicant, note: String(reason.prefix(1000)))
    }

    /// An applicant's step: the state machine decides, the history records it.
    private func apply(_ action: DossierAction, to dossierID: Int64, by applicant: User, note: String) async throws -> Dossier {
        try await database.transaction { db in
            guard let current = try await DossierStore.dossier(id: dossierID, in: db) else { throw DossierError.notFound }
            let next = try Self.next(current.status, action, by: .applicant)
            guard try await db.raw("""
                UPDATE dossiers SET status = \(bind: next.rawValue), updated_at = \(bind: Clock.nowMilliseconds())
                WHERE id = \(bind: dossierID) AND status = \(bind: current.status.rawValue) RETURNING id
                """).first() != nil
            else { throw DossierError.conflict("Hồ sơ vừa thay đổi trạng thái. Vui lòng tải lại trang.") }
            try await DossierStore.recordEvent(
                dossierID: dossierID, actorID: applicant.id, action: action, from: current.status, to: next, note: note, in: db)
            guard let saved = try await DossierStore.dossier(id: dossierID, in: db) else { throw DossierError.notSaved }
            return saved
        }
    }

    /// The applicant's own dossier, or "not found" — never telling whether someone else's exists.
    func ownedDossier(_ id: Int64, by applicant: User) async throws -> Dossier {
        guard let dossier = try await store.dossier(id: id), dossier.applicantID == applicant.id else { throw DossierError.notFound }
        return dossier
    }

    static func next(_ status: DossierStatus, _ action: DossierAction, by actor: DossierActor) throws -> DossierStatus {
        switch DossierStateMachine.transition(from: status, action: action, by: actor) {
        case .success(let next): return next
        case .failure(let refusal):
            switch refusal {
            case .notAllowedInStatus: throw DossierError.conflict(refusal.message)
            case .notPermitted: throw DossierError.forbidden(refusal.message)
            }
        }
    }

    static func checkMayFile(_ applicant: User, _ procedure: Procedure) throws {
        let kind: ApplicantType? = switch applicant.kind {
        case .individual: .individual
        case .organization: .organization
        case .staff: nil
        }
        guard let kind, procedure.applicantTypes.contains(kind) else {
            throw DossierError.refused("Loại tài khoản của bạn không được nộp hồ sơ cho thủ tục này.")
        }
    }

    /// Checks the procedure's own fields and the delivery choice; returns a message per field.
    static func validate(_ input: DraftInput, for procedure: Procedure) -> FieldErrors {
        var errors = FieldErrors()
        if input.requestSummary.count > 2000 { errors["request_summary"] = "Nội dung yêu cầu dài quá 2000 ký tự." }
        for field in procedure.formFields {
            let value = (input.values[field.key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if value.isEmpty {
                if field.required { errors[field.key] = "Vui lòng nhập \(field.label.lowercased())." }
                continue
            }
            let limit = field.maxLength ?? (field.type == .textarea ? 5000 : 500)
            if value.count > limit { errors[field.key] = "\(field.label) dài quá \(limit) ký tự."; continue }
            switch field.type {
            case .number where Double(value.replacingOccurrences(of: ",", with: ".")) == nil:
                errors[field.key] = "\(field.label) phải là số."
            case .date where RegistrationForm.date(value) == nil:
                errors[field.key] = "\(field.label) phải là ngày hợp lệ (năm-tháng-ngày)."
            case .email where !Identifiers.isEmail(value):
                errors[field.key] = "\(field.label) không phải địa chỉ thư điện tử hợp lệ."
            case .phone where Identifiers.normalizedPhone(value) == nil:
                errors[field.key] = "\(field.label) phải là số điện thoại 10 chữ số."
            case .select where !(field.options ?? []).contains(value):
                errors[field.key] = "Vui lòng chọn \(field.label.lowercased()) trong danh sách."
            default:
                break
            }
        }
        let unknown = Set(input.values.keys).subtracting(procedure.formFields.map(\.key))
        if !unknown.isEmpty { errors["form"] = "Có trường không thuộc thủ tục này: \(unknown.sorted().joined(separator: ", "))." }
        if let method = input.deliveryMethod {
            if !procedure.resultDelivery.contains(method) {
                errors["delivery_method"] = "Thủ tục này không trả kết quả theo cách đã chọn."
            } else if method == .post, (input.deliveryAddress ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                errors["delivery_address"] = "Vui lòng nhập địa chỉ nhận kết quả qua bưu chính."
            }
        }
        if (input.deliveryAddress ?? "").count > 300 {
            errors["delivery_address"] = "Địa chỉ nhận kết quả dài quá 300 ký tự."
        }
        return errors
    }
}
