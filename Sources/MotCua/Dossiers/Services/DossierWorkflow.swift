import Foundation
import SQLKit

/// The back office's steps on a dossier: the desk accepts (with the appointment date counted in working
/// days), asks once for everything missing, or refuses with a reason; the processor works on it and
/// attaches the result; the leader approves or stops it; the desk returns the result. Every step goes
/// through `DossierStore.transition` (the state machine, the history and the mail to the applicant, in
/// one transaction).
struct DossierWorkflow: Sendable {
    let database: any Database
    let store: DossierStore
    let catalog: CatalogReader
    let publicURL: String
    let limits: UploadLimits

    /// A submitted dossier of the staff member's own agency; anything else is "not found".
    func dossier(_ id: Int64, for staff: User) async throws -> Dossier {
        try Self.checkWorksOnDossiers(staff)
        guard let dossier = try await store.dossier(id: id), dossier.isVisible(to: staff) else { throw DossierError.notFound }
        return dossier
    }

    /// Who filed the dossier, for the desk's contact details.
    func applicant(of dossier: Dossier) async throws -> User {
        guard let user = try await UserStore(database: database).user(id: dossier.applicantID) else { throw DossierError.notFound }
        return user
    }

    static func checkWorksOnDossiers(_ user: User) throws(DossierError) {
        guard user.worksOnDossiers else {
            throw .forbidden("Chỉ cán bộ tiếp nhận, chuyên viên và lãnh đạo của cơ quan được xem hồ sơ của cơ quan.")
        }
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

    /// Whether the staff member may attach result files to the dossier now.
    static func mayAttachResult(_ dossier: Dossier, _ staff: User) -> Bool {
        do {
            try checkMayAttachResult(dossier, staff)
            return true
        } catch {
            return false
        }
    }

    static func checkMayAttachResult(_ dossier: Dossier, _ staff: User) throws(DossierError) {
        guard let role = staff.role, [.processor, .leader].contains(role) else {
            throw .forbidden("Chỉ chuyên viên xử lý hoặc lãnh đạo được tải lên kết quả.")
        }
        guard dossier.acceptsResultFiles else { throw .conflict(Dossier.closedMessage(for: .result)) }
    }

    /// Records a stored file as a result of the dossier.
    func addResult(dossierID: Int64, staff: User, file: StoredFile, contentType: String, displayName: String) async throws {
        let dossier = try await dossier(dossierID, for: staff)
        try Self.checkMayAttachResult(dossier, staff)
        try await store.addAttachment(
            dossierID: dossierID, position: 0, file: file, contentType: contentType, displayName: displayName, kind: .result,
            maxDossierBytes: limits.maxDossierBytes, maxFileBytes: limits.maxFileBytes)
    }

    func perform(_ action: DossierAction, on id: Int64, by staff: User, note rawNote: String, at date: Date = Date()) async throws -> Dossier {
        let dossier = try await dossier(id, for: staff)
        guard let role = staff.role else { throw DossierError.forbidden("Tài khoản không có vai trò cán bộ.") }
        // Fee requests come with online payment, which the portal does not take yet.
        guard action != .requestFee else { throw DossierError.refused("Cổng chưa hỗ trợ yêu cầu nộp phí trực tuyến.") }
        let note = try DossierNote.checked(rawNote, requiredBecause: !Self.needsNote(action) ? nil
            : action == .requestSupplement ? "Vui lòng ghi đầy đủ các giấy tờ cần bổ sung, sửa đổi (yêu cầu một lần)."
            : "Vui lòng ghi rõ lý do.")
        let processingDays = try await catalog.procedure(agencyCode: dossier.agencyCode, code: dossier.procedureCode)?.processingDays ?? 0
        let calendar = try await CalendarOverrides(database: database).calendar()
        let now = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let links = publicURL
        let step = DossierStep(action: action, actor: .staff(role), actorID: staff.id, note: note, at: now)
        return try await store.transition(id, step, changes: { current, db in
            var changes = DossierChanges()
            switch action {
            case .accept:
                let due = calendar.deadline(from: date, workingDays: processingDays)
                changes.acceptedAt = now
                changes.dueAt = Int64((due.timeIntervalSince1970 * 1000).rounded())
                changes.deskNote = ""
            case .refuse, .requestSupplement, .stop:
                changes.deskNote = note
            case .finish:
                let results = try await DossierStore.attachments(dossierID: current.id, in: db).filter { $0.kind == .result }
                guard !results.isEmpty else {
                    throw DossierError.refused("Chưa có tệp kết quả: chuyên viên cần tải lên kết quả giải quyết trước khi phê duyệt.")
                }
                changes.finishedAt = now
            case .returnResult:
                changes.returnedAt = now
            default:
                break
            }
            return changes
        }, mail: { saved, db in
            guard let applicant = try await UserStore.user(id: saved.applicantID, in: db) else { throw DossierError.notSaved }
            return ApplicantMail.about(action, dossier: saved, to: applicant, note: note, publicURL: links)
        })
    }
}
