import Foundation
import SQLKit

/// The back office's steps on a dossier: the desk accepts (with the appointment date counted in working
/// days), asks once for everything missing, or refuses with a reason; the processor works on it and
/// attaches the result; the leader approves or stops it; the desk returns the result. Every step goes
/// through `DossierStateMachine`, is recorded in the history and tells the applicant by mail, in one
/// transaction.
struct DossierWorkflow: Sendable {
    let database: any Database
    let store: DossierStore
    let catalog: CatalogReader
    let publicURL: String

    /// Roles that work on dossiers; administrators manage accounts, not dossiers.
    static let workingRoles: Set<StaffRole> = [.receptionist, .processor, .leader]
    static let noteLimit = 2000

    /// A submitted dossier of the staff member's own agency; anything else is "not found".
    func dossier(_ id: Int64, for staff: User) async throws -> Dossier {
        try Self.checkWorksOnDossiers(staff)
        guard let dossier = try await store.dossier(id: id), Self.visible(dossier, to: staff) else { throw DossierError.notFound }
        return dossier
    }

    /// Who filed the dossier, for the desk's contact details.
    func applicant(of dossier: Dossier) async throws -> User {
        guard let user = try await UserStore(database: database).user(id: dossier.applicantID) else { throw DossierError.notFound }
        return user
    }

    static func checkWorksOnDossiers(_ user: User) throws {
        guard user.isStaff, let role = user.role, workingRoles.contains(role), user.agencyCode != nil else {
            throw DossierError.forbidden("Chỉ cán bộ tiếp nhận, chuyên viên và lãnh đạo của cơ quan được xem hồ sơ của cơ quan.")
        }
    }

    private static func visible(_ dossier: Dossier, to staff: User) -> Bool {
        dossier.agencyCode == staff.agencyCode && dossier.status != .draft
    }

    /// Actions the staff member may take on the dossier now, for buttons and the API.
    static func availableActions(_ dossier: Dossier, for staff: User) -> [DossierAction] {
        guard let role = staff.role else { return [] }
        return DossierStateMachine.availableActions(in: dossier.status, for: .staff(role)).filter { $0 != .requestFee }
    }

    /// Whether `action` needs a written note: a refusal, a supplement request and a stop are given in writing.
    static func needsNote(_ action: DossierAction) -> Bool {
        [.refuse, .requestSupplement, .stop].contains(action)
    }

    static func checkMayAttachResult(_ dossier: Dossier, _ staff: User) throws {
        guard let role = staff.role, [.processor, .leader].contains(role) else {
            throw DossierError.forbidden("Chỉ chuyên viên xử lý hoặc lãnh đạo được tải lên kết quả.")
        }
        guard dossier.status == .processing else {
            throw DossierError.conflict("Chỉ tải lên kết quả khi hồ sơ đang được xử lý.")
        }
    }

    /// Records a stored file as a result of the dossier, and the step in its history.
    func addResult(dossierID: Int64, staff: User, file: StoredFile, contentType: String, displayName: String) async throws {
        try await database.transaction { db in
            guard let current = try await DossierStore.dossier(id: dossierID, in: db), Self.visible(current, to: staff) else {
                throw DossierError.notFound
            }
            guard current.status == .processing else { throw DossierError.conflict("Chỉ tải lên kết quả khi hồ sơ đang được xử lý.") }
            try await DossierStore.insertAttachment(
                dossierID: dossierID, position: 0, file: file, contentType: contentType, displayName: displayName, kind: .result, in: db)
        }
    }

    func perform(_ action: DossierAction, on id: Int64, by staff: User, note rawNote: String, at date: Date = Date()) async throws -> Dossier {
        let dossier = try await dossier(id, for: staff)
        guard let role = staff.role else { throw DossierError.forbidden("Tài khoản không có vai trò cán bộ.") }
        // Fee requests come with online payment, which the portal does not take yet.
        guard action != .requestFee else { throw DossierError.refused("Cổng chưa hỗ trợ yêu cầu nộp phí trực tuyến.") }
        let note = rawNote.trimmingCharacters(in: .whitespacesAndNewlines)
        if Self.needsNote(action), note.isEmpty {
            throw DossierError.invalidFields(["note": action == .requestSupplement
                ? "Vui lòng ghi đầy đủ các giấy tờ cần bổ sung, sửa đổi (yêu cầu một lần)."
                : "Vui lòng ghi rõ lý do."])
        }
        if note.count > Self.noteLimit { throw DossierError.invalidFields(["note": "Nội dung dài quá \(Self.noteLimit) ký tự."]) }
        let procedure = try await catalog.procedure(agencyCode: dossier.agencyCode, code: dossier.procedureCode)
        let calendar = try await CalendarOverrides(database: database).calendar()
        let now = Int64((date.timeIntervalSince1970 * 1000).rounded())
        return try await database.transaction { db in
            guard let current = try await DossierStore.dossier(id: id, in: db) else { throw DossierError.notFound }
            let next = try DossierService.next(current.status, action, by: .staff(role))
            if action == .finish {
                let results = try await DossierStore.attachments(dossierID: id, in: db).filter { $0.kind == .result }
                guard !results.isEmpty else {
                    throw DossierError.refused("Chưa có tệp kết quả: chuyên viên cần tải lên kết quả giải quyết trước khi phê duyệt.")
                }
            }
            var changes: SQLQueryString = "status = \(bind: next.rawValue), updated_at = \(bind: now)"
            switch action {
            case .accept:
                let due = calendar.deadline(from: date, workingDays: procedure?.processingDays ?? 0)
                changes += ", accepted_at = \(bind: now), due_at = \(bind: Int64((due.timeIntervalSince1970 * 1000).rounded())), desk_note = ''"
            case .refuse, .requestSupplement, .stop:
                changes += ", desk_note = \(bind: note)"
            case .finish:
                changes += ", finished_at = \(bind: now)"
            case .returnResult:
                changes += ", returned_at = \(bind: now)"
            default:
                break
            }
            // The status in the WHERE clause makes a concurrent second decision on the same dossier fail.
            var update: SQLQueryString = "UPDATE dossiers SET "
            update += changes
            update += " WHERE id = \(bind: id) AND status = \(bind: current.status.rawValue) RETURNING id"
            guard try await db.raw(update).first() != nil else {
                throw DossierError.conflict("Hồ sơ vừa được người khác xử lý. Vui lòng tải lại trang.")
            }
            try await DossierStore.recordEvent(dossierID: id, actorID: staff.id, action: action, from: current.status, to: next,
                                               note: note, in: db)
            guard let saved = try await DossierStore.dossier(id: id, in: db),
                  let applicant = try await UserStore.user(id: saved.applicantID, in: db)
            else { throw DossierError.notSaved }
            if let mail = ApplicantMail.about(action, dossier: saved, applicantName: applicant.displayName, note: note, publicURL: publicURL) {
                try await Outbox.enqueue(to: applicant.email, subject: mail.subject, body: mail.body, in: db)
            }
            return saved
        }
    }
}

/// The mail the applicant gets after a step of the back office (SPEC: "the applicant is told by email").
enum ApplicantMail {
    static func about(_ action: DossierAction, dossier: Dossier, applicantName: String, note: String, publicURL: String)
        -> (subject: String, body: String)?
    {
        let code = dossier.code ?? ""
        let what: String
        switch action {
        case .accept:
            let due = dossier.dueAt.map(VietnameseFormat.dateTime) ?? "—"
            what = "Hồ sơ đã được tiếp nhận. Ngày hẹn trả kết quả: \(due)."
        case .refuse:
            what = "Hồ sơ không được tiếp nhận. Lý do: \(note)"
        case .requestSupplement:
            what = "Hồ sơ cần bổ sung, hoàn thiện như sau:\n\(note)\n\nVui lòng đăng nhập, bổ sung hồ sơ và gửi lại."
        case .stop:
            what = "Cơ quan đã dừng xử lý hồ sơ. Lý do: \(note)"
        case .finish:
            what = dossier.deliveryMethod == .online
                ? "Hồ sơ đã có kết quả. Bạn có thể tải kết quả trên trang hồ sơ."
                : "Hồ sơ đã có kết quả và sẽ được trả theo cách bạn đã chọn (\(dossier.deliveryMethod?.label ?? ""))."
        case .returnResult:
            what = "Kết quả giải quyết hồ sơ đã được trả."
        default:
            return nil
        }
        let subject = "Hồ sơ \(code): \(dossier.status.label) – Cổng dịch vụ công MotCua"
        let body = """
            Xin chào \(applicantName),

            Hồ sơ \(code) "\(dossier.procedureName)" tại \(dossier.agencyName):
            \(what)

            Xem hồ sơ: \(publicURL)/ho-so/\(dossier.id)
            Tra cứu công khai: \(publicURL)/tra-cuu?ma=\(code)

            Cổng dịch vụ công MotCua
            """
        return (subject, body)
    }
}
