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
    let limits: UploadLimits
    let officeHours: OfficeHours

    init(database: any Database, catalog: CatalogReader, publicURL: String, limits: UploadLimits = UploadLimits(),
         officeHours: OfficeHours = .standard) {
        self.database = database
        self.officeHours = officeHours
        self.store = DossierStore(database: database)
        self.catalog = catalog
        self.publicURL = publicURL
        self.limits = limits
    }

    /// Starts a draft of `procedure` for a citizen or an organization whose kind the procedure accepts.
    func createDraft(applicant: User, agencyCode: String, procedureCode: String, input: DraftInput) async throws -> Dossier {
        let procedure = try await procedure(agencyCode: agencyCode, code: procedureCode)
        try Self.checkMayFile(applicant, procedure)
        let errors = Self.validate(input, for: procedure)
        guard errors.isEmpty else { throw DossierError.invalidFields(errors) }
        return try await store.insertDraft(applicantID: applicant.id, procedureID: procedure.id, input: input)
    }

    /// Replaces what the applicant entered on their own draft (the files stay).
    func updateDraft(dossierID: Int64, applicant: User, input: DraftInput) async throws -> Dossier {
        let dossier = try await ownedDossier(dossierID, by: applicant)
        guard dossier.status == .draft else { throw DossierError.conflict("Hồ sơ đã nộp không sửa được thông tin.") }
        let errors = Self.validate(input, for: try await procedure(of: dossier))
        guard errors.isEmpty else { throw DossierError.invalidFields(errors) }
        return try await store.updateDraft(id: dossierID, input: input)
    }

    /// Records a stored file as an attachment of one required document, on the applicant's own draft (or
    /// a dossier sent back for supplement).
    func addAttachment(dossierID: Int64, applicant: User, documentPosition: Int, file: StoredFile, contentType: String, displayName: String) async throws {
        try await addAttachment(to: try await ownedDossier(dossierID, by: applicant), applicant: applicant, documentPosition: documentPosition,
                                file: file, contentType: contentType, displayName: displayName)
    }

    /// The same for a dossier the caller has just read (the upload did, before streaming): its status and the
    /// dossier's total size are checked again in the write transaction, so it need not be read twice.
    func addAttachment(to dossier: Dossier, applicant: User, documentPosition: Int, file: StoredFile, contentType: String,
                       displayName: String) async throws {
        guard dossier.applicantID == applicant.id else { throw DossierError.notFound }
        guard dossier.acceptsApplicantFiles else { throw UploadError.closed(Dossier.closedMessage(for: .applicant)) }
        guard try await procedure(of: dossier).requiredDocuments.contains(where: { $0.position == documentPosition }) else {
            throw UploadError.noSuchDocument
        }
        try await store.addAttachment(
            dossierID: dossier.id, position: documentPosition, file: file, contentType: contentType, displayName: displayName,
            kind: .applicant, maxDossierBytes: limits.maxDossierBytes, maxFileBytes: limits.maxFileBytes)
    }

    /// Submits the applicant's draft: the dossier gets its code and status 1, its first history entry and
    /// the acknowledgement mail, all in one transaction. Submitting an already submitted dossier again (a
    /// double click, a resent request) returns it unchanged.
    func submit(dossierID: Int64, applicant: User, at date: Date = Date()) async throws -> Dossier {
        try await submit(try await ownedDossier(dossierID, by: applicant), applicant: applicant, at: date)
    }

    /// The same for a dossier the caller has just read; the transaction reads it again (and its files) before
    /// it writes, so a change in between is not missed.
    func submit(_ dossier: Dossier, applicant: User, at date: Date = Date()) async throws -> Dossier {
        guard dossier.applicantID == applicant.id else { throw DossierError.notFound }
        let dossierID = dossier.id
        if dossier.status != .draft, dossier.code != nil { return dossier }
        guard applicant.emailVerified else {
            throw DossierError.refused("Vui lòng xác thực địa chỉ thư điện tử trước khi nộp hồ sơ (xem trang Tài khoản).")
        }
        let procedure = try await procedure(of: dossier)
        try Self.checkMayFile(applicant, procedure)
        var errors = Self.validate(DraftInput(dossier), for: procedure)
        if dossier.deliveryMethod == nil { errors["delivery_method"] = "Vui lòng chọn cách nhận kết quả." }
        guard errors.isEmpty else { throw DossierError.invalidFields(errors) }
        let day = DossierCode.day(at: date)
        let links = publicURL
        // The procedure's fixed fees are charged now: the dossier waits for payment before the desk sees it.
        let fees = procedure.feesDueAtSubmission
        let charge = fees.isEmpty ? nil : NewCharge(
            amount: Money(dong: fees.reduce(0) { $0 + $1.amount }), reason: fees.map(\.description).joined(separator: "; "),
            source: .procedure, requestedBy: nil)
        let step = DossierStep(action: .submit, actor: .applicant, actorID: applicant.id, note: "Nộp hồ sơ trực tuyến",
                               feeDue: charge != nil)
        do {
            return try await store.transition(dossierID, step, changes: { current, db in
                // The files as the transaction sees them: one trip less than reading them before it.
                let attached = Set(try await DossierStore.attachments(dossierID: dossierID, in: db).filter { $0.kind == .applicant }
                    .map(\.documentPosition))
                let missing = procedure.requiredDocuments.filter { $0.mandatory && !attached.contains($0.position) }
                guard missing.isEmpty else {
                    throw DossierError.refused("Còn thiếu giấy tờ bắt buộc: " + missing.map(\.name).joined(separator: "; ") + ".")
                }
                let code = try await DossierStore.allocateCode(dossierID: current.id, agencyCode: current.agencyCode, day: day, in: db)
                return DossierChanges(
                    code: code, submittedAt: step.at, applicantName: applicant.displayName,
                    applicantIDNumber: applicant.idNumber, charge: charge)
            }, notice: { saved, db in
                try await ApplicantNotice.after(.submit, dossier: saved, to: applicant, note: step.note, publicURL: links, in: db)
            })
        } catch DossierError.conflict(let message) {
            // A concurrent submit of the same draft won: answer with the dossier it submitted.
            guard let current = try await store.dossier(id: dossierID), current.status != .draft, current.code != nil else {
                throw DossierError.conflict(message)
            }
            return current
        }
    }

    /// The applicant answers the desk's supplement request (files added on the dossier page beforehand)
    /// with a note; the dossier goes back to the desk, or, when the request came during processing, back to
    /// the step that asked, whose clock and the appointment's restart with the time that was left.
    func answerSupplement(dossierID: Int64, applicant: User, note rawNote: String, at now: Int64 = Clock.nowMilliseconds()) async throws -> Dossier {
        _ = try await ownedDossier(dossierID, by: applicant)
        let note = try DossierNote.checked(rawNote, requiredBecause: "Vui lòng ghi nội dung đã bổ sung, sửa đổi.")
        let clock = ProcessClock(officeHours: officeHours, calendar: try await CalendarOverrides(database: database).calendar())
        let step = DossierStep(action: .supplement, actor: .applicant, actorID: applicant.id, note: note, at: now)
        return try await store.transition(dossierID, step, changes: { current, _ in
            guard current.progress.isPaused else { return DossierChanges() }
            let (progress, dueAt) = clock.resumed(current, at: step.at)
            return DossierChanges(dueAt: dueAt, deskNote: "", progress: progress)
        })
    }

    /// The applicant withdraws a dossier the desk has not accepted yet.
    func withdraw(dossierID: Int64, applicant: User, reason: String) async throws -> Dossier {
        _ = try await ownedDossier(dossierID, by: applicant)
        let note = String(reason.trimmingCharacters(in: .whitespacesAndNewlines).prefix(DossierNote.limit))
        return try await store.transition(dossierID, DossierStep(action: .withdraw, actor: .applicant, actorID: applicant.id, note: note))
    }

    /// The applicant's own dossier, or "not found" — never telling whether someone else's exists.
    func ownedDossier(_ id: Int64, by applicant: User) async throws -> Dossier {
        guard let dossier = try await store.dossier(id: id), dossier.applicantID == applicant.id else { throw DossierError.notFound }
        return dossier
    }

    /// The procedure a dossier is filed under.
    func procedure(of dossier: Dossier) async throws -> Procedure {
        try await procedure(agencyCode: dossier.agencyCode, code: dossier.procedureCode)
    }

    private func procedure(agencyCode: String, code: String) async throws -> Procedure {
        guard let procedure = try await catalog.procedure(agencyCode: agencyCode, code: code) else { throw DossierError.notFound }
        return procedure
    }

    static func checkMayFile(_ applicant: User, _ procedure: Procedure) throws(DossierError) {
        guard let kind = applicant.applicantType, procedure.applicantTypes.contains(kind) else {
            throw .refused("Loại tài khoản của bạn không được nộp hồ sơ cho thủ tục này.")
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
