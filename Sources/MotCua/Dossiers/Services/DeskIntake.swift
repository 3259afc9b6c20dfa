import Foundation
import SQLKit

/// Dossiers the desk receives on paper or by post (channels 1 and 3) for applicants who may have no account:
/// the receptionist enters the applicant and the request, scans the documents into the draft, and registers
/// it, which gives it its code; from there it follows the same life cycle, codes and slips as an online one.
/// The applicant is kept as an account no one can sign in to (`walk_in`), reused when the same ID number
/// comes again; when the person later registers and verifies the same e-mail with the same ID number, these
/// dossiers move to their account (`claim`).
struct DeskIntake: Sendable {
    let database: any Database
    let store: DossierStore
    let catalog: CatalogReader
    let publicURL: String

    /// What the desk enters about a walk-in applicant.
    struct Applicant: Sendable {
        var kind: AccountKind = .individual
        var name = ""
        var idNumber = ""
        var phone = ""
        var address = ""
        var email = ""
    }

    /// What the desk enters about the request.
    struct Request: Sendable {
        var procedureCode = ""
        var channel: DossierChannel = .desk
        var summary = ""
        var delivery: DeliveryMethod = .desk
        var deliveryAddress = ""
    }

    /// Each field's problem in Vietnamese; empty when the entry is complete and well formed.
    static func problems(_ applicant: Applicant, _ request: Request) -> FieldErrors {
        var errors = FieldErrors()
        let name = applicant.name.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.isEmpty || name.count > 100 { errors["name"] = "Vui lòng nhập họ tên (hoặc tên tổ chức), tối đa 100 ký tự." }
        let id = applicant.idNumber.trimmingCharacters(in: .whitespaces)
        switch applicant.kind {
        case .organization where !Identifiers.isTaxCode(id):
            errors["id_number"] = "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số (chi nhánh)."
        case .individual where !Identifiers.isCitizenID(id):
            errors["id_number"] = "Số căn cước công dân gồm đúng 12 chữ số."
        default: break
        }
        if Identifiers.normalizedPhone(applicant.phone) == nil {
            errors["phone"] = "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0 (hoặc +84)."
        }
        let address = applicant.address.trimmingCharacters(in: .whitespacesAndNewlines)
        if address.isEmpty || address.count > 300 { errors["address"] = "Vui lòng nhập địa chỉ (tối đa 300 ký tự)." }
        let email = applicant.email.trimmingCharacters(in: .whitespaces)
        if !email.isEmpty && !Identifiers.isEmail(email) { errors["email"] = "Địa chỉ thư điện tử không hợp lệ (có thể để trống)." }
        if request.channel == .online { errors["channel"] = "Chọn kênh nộp: trực tiếp hoặc qua bưu chính." }
        let summary = request.summary.trimmingCharacters(in: .whitespacesAndNewlines)
        if summary.count > 500 { errors["summary"] = "Nội dung yêu cầu tối đa 500 ký tự." }
        if request.delivery == .post && request.deliveryAddress.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            errors["delivery_address"] = "Vui lòng nhập địa chỉ nhận kết quả qua bưu chính."
        }
        return errors
    }

    /// A draft of the desk's agency for the walk-in applicant (created, or found by ID number and updated).
    func start(by staff: User, applicant: Applicant, request: Request) async throws -> Dossier {
        guard staff.role == .receptionist, let agencyCode = staff.agencyCode else {
            throw DossierError.forbidden("Chỉ cán bộ tiếp nhận được đăng ký hồ sơ nộp trực tiếp hoặc qua bưu chính.")
        }
        var errors = Self.problems(applicant, request)
        let procedure = try await catalog.procedure(agencyCode: agencyCode, code: request.procedureCode.trimmingCharacters(in: .whitespaces))
        if procedure == nil { errors["procedure"] = "Vui lòng chọn thủ tục của cơ quan." }
        guard errors.isEmpty, let procedure else { throw DossierError.invalidFields(errors) }
        let input = DraftInput(
            requestSummary: request.summary.trimmingCharacters(in: .whitespacesAndNewlines).nonEmpty ?? procedure.name, values: [:],
            deliveryMethod: request.delivery,
            deliveryAddress: request.delivery == .post ? request.deliveryAddress.trimmingCharacters(in: .whitespacesAndNewlines) : nil)
        return try await database.transaction { db in
            let applicantID = try await Self.walkInAccount(applicant, in: db)
            return try await DossierStore.insertDraft(applicantID: applicantID, procedureID: procedure.id, input: input, channel: request.channel, in: db)
        }
    }

    /// The walk-in account of this ID number, its contact details brought up to date; a new one otherwise.
    static func walkInAccount(_ applicant: Applicant, in db: any SQLDatabase) async throws -> Int64 {
        let id = applicant.idNumber.trimmingCharacters(in: .whitespaces)
        let phone = Identifiers.normalizedPhone(applicant.phone) ?? applicant.phone
        let email = applicant.email.trimmingCharacters(in: .whitespaces).lowercased().nonEmpty
        let name = applicant.name.trimmingCharacters(in: .whitespacesAndNewlines)
        let address = applicant.address.trimmingCharacters(in: .whitespacesAndNewlines)
        if let row = try await db.raw("""
            SELECT id FROM users WHERE walk_in = \(bind: true) AND walk_in_id_number = \(bind: id) AND kind = \(bind: applicant.kind.rawValue)
            """).first() {
            let userID = try row.decode(column: "id", as: Int64.self)
            try await db.raw("""
                UPDATE users SET display_name = \(bind: name), phone = \(bind: phone), address = \(bind: address),
                    contact_email = COALESCE(\(bind: email), contact_email) WHERE id = \(bind: userID)
                """).run()
            return userID
        }
        let user = try await UserStore.insert(NewUser(
            kind: applicant.kind, email: "quay.\(UUID().uuidString.lowercased())@walk-in.invalid", passwordHash: "!",
            displayName: name, phone: phone, address: address), in: db)
        try await db.raw("""
            UPDATE users SET walk_in = \(bind: true), walk_in_id_number = \(bind: id), contact_email = \(bind: email) WHERE id = \(bind: user.id)
            """).run()
        return user.id
    }

    /// The desk may scan documents into its own walk-in draft, or into one sent back for supplement.
    static func checkMayScan(_ dossier: Dossier, _ staff: User) throws(DossierError) {
        guard staff.role == .receptionist, dossier.isVisible(to: staff), dossier.channel != .online else {
            throw .forbidden("Chỉ cán bộ tiếp nhận được quét giấy tờ của hồ sơ nộp trực tiếp hoặc qua bưu chính.")
        }
        guard dossier.acceptsApplicantFiles else { throw .conflict(Dossier.closedMessage(for: .applicant)) }
    }

    /// Registers the walk-in draft: its code, the history, the acknowledgement to the e-mail the applicant gave.
    func register(_ dossierID: Int64, by staff: User, at date: Date = Date()) async throws -> Dossier {
        guard let dossier = try await store.dossier(id: dossierID), dossier.isVisible(to: staff), dossier.channel != .online else {
            throw DossierError.notFound
        }
        guard let role = staff.role else { throw DossierError.forbidden("Tài khoản không có vai trò cán bộ.") }
        guard let procedure = try await catalog.procedure(agencyCode: dossier.agencyCode, code: dossier.procedureCode) else {
            throw DossierError.notFound
        }
        let attached = Set(try await store.attachments(dossierID: dossierID).filter { $0.kind == .applicant }.map(\.documentPosition))
        let missing = procedure.requiredDocuments.filter { $0.mandatory && !attached.contains($0.position) }
        guard missing.isEmpty else {
            throw DossierError.refused("Chưa quét giấy tờ bắt buộc: " + missing.map(\.name).joined(separator: "; ") + ".")
        }
        let day = DossierCode.day(at: date)
        let links = publicURL
        let step = DossierStep(action: .register, actor: .staff(role), actorID: staff.id,
                               note: dossier.channel == .post ? "Nhận qua dịch vụ bưu chính" : "Nộp trực tiếp tại Bộ phận một cửa",
                               at: Int64((date.timeIntervalSince1970 * 1000).rounded()))
        return try await store.transition(dossierID, step, changes: { current, db in
            guard let applicant = try await UserStore.user(id: current.applicantID, in: db) else { throw DossierError.notSaved }
            let code = try await DossierStore.allocateCode(dossierID: current.id, agencyCode: current.agencyCode, day: day, in: db)
            return DossierChanges(code: code, submittedAt: step.at, applicantName: applicant.displayName, applicantIDNumber: applicant.idNumber)
        }, notice: { saved, db in
            guard let applicant = try await UserStore.user(id: saved.applicantID, in: db) else { return nil }
            return try await ApplicantNotice.after(.register, dossier: saved, to: applicant, note: step.note, publicURL: links, in: db)
        })
    }

    /// Moves the walk-in dossiers of this ID number and e-mail to the account that just verified that e-mail.
    static func claim(for user: User, in db: any SQLDatabase) async throws {
        guard user.kind != .staff, !user.walkIn, let id = user.citizenID ?? user.taxCode else { return }
        try await db.raw("""
            UPDATE dossiers SET applicant_id = \(bind: user.id) WHERE applicant_id IN (
                SELECT id FROM users WHERE walk_in = \(bind: true) AND walk_in_id_number = \(bind: id)
                AND contact_email = \(bind: user.email.lowercased()) AND kind = \(bind: user.kind.rawValue))
            """).run()
    }
}
