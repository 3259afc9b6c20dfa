import Foundation
import SQLKit
import Synchronization

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
    var officeHours: OfficeHours = .standard
    /// Issues the step's slip as a PDF kept with the dossier; nil issues none.
    var slips: DossierSlips? = nil

    /// The desk's intake of paper dossiers, on the same storage.
    var intake: DeskIntake { DeskIntake(database: database, store: store, catalog: catalog, publicURL: publicURL) }

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

    /// The people `staff` may hand the dossier to (next step's role, and its unit unless it is the desk's),
    /// and may assign the current step to (its role, in its unit; a leader may pick from the whole agency).
    func candidates(for dossier: Dossier, staff: User) async throws -> (forward: [User], assign: [User]) {
        let progress = dossier.progress
        guard progress.currentStep != nil else { return ([], []) }
        let next = progress.nextStep
        // The colleagues and the next step's unit in one read (one wait for a reader less per page).
        let (agencyStaff, nextUnitID) = try await database.readSeveral { db -> ([User], Int64?) in
            let agencyStaff = try await UserStore.staff(agencyCode: dossier.agencyCode, in: db)
            guard let next else { return (agencyStaff, nil) }
            return (agencyStaff, try await ProcessingSteps.unitID(named: next.unit, agencyCode: dossier.agencyCode, in: db))
        }
        let colleagues = agencyStaff.filter { !$0.disabled }
        var forward: [User] = []
        if let next {
            forward = colleagues.filter { $0.role == next.role && (next.role == .receptionist || $0.unitID == nextUnitID) }
        }
        var assign: [User] = []
        if let step = progress.currentStep, ProcessingPolicy.mayAssign(dossier, staff) {
            assign = colleagues.filter { $0.role == step.role && (staff.role == .leader || $0.unitID == progress.holderUnitID) }
        }
        return (forward, assign)
    }

    static func checkWorksOnDossiers(_ user: User) throws(DossierError) {
        guard user.worksOnDossiers else {
            throw .forbidden("Chỉ cán bộ tiếp nhận, chuyên viên và lãnh đạo của cơ quan được xem hồ sơ của cơ quan.")
        }
    }

    /// Actions the staff member may take on the dossier now, for buttons and the API.
    static func availableActions(_ dossier: Dossier, for staff: User) -> [DossierAction] {
        guard let role = staff.role else { return [] }
        return DossierStateMachine.availableActions(in: dossier.machineState, for: .staff(role))
            .filter { $0 != .pay && ProcessingPolicy.refusal($0, dossier, staff) == nil }
    }

    /// Whether `action` needs a written note: a refusal, a supplement request, a stop, a send-back and an
    /// apology are given in writing.
    static func needsNote(_ action: DossierAction) -> Bool {
        [.refuse, .requestSupplement, .requestFee, .stop, .sendBack, .apologize].contains(action)
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
        guard ProcessingPolicy.holds(dossier, staff) else {
            throw .forbidden("Chỉ người đang giữ hồ sơ được tải lên kết quả.")
        }
    }

    /// Records a stored file as a result of the dossier.
    func addResult(dossierID: Int64, staff: User, file: StoredFile, contentType: String, displayName: String) async throws {
        let dossier = try await dossier(dossierID, for: staff)
        try Self.checkMayAttachResult(dossier, staff)
        try await store.addAttachment(
            dossierID: dossierID, position: 0, file: file, contentType: contentType, displayName: displayName, kind: .result,
            maxDossierBytes: limits.maxDossierBytes, maxFileBytes: limits.maxFileBytes)
    }

    /// Takes `action` on the dossier for `staff`, through the one write path: the state machine, then the
    /// processing policy on the dossier as read in the transaction, then the step's own checks.
    func perform(_ action: DossierAction, on id: Int64, by staff: User, input: StaffActionInput, at now: Int64 = Clock.nowMilliseconds()) async throws -> Dossier {
        _ = try Self.checkedStep(action, by: staff, input: input)
        return try await perform(action, on: try await dossier(id, for: staff), by: staff, input: input, at: now)
    }

    /// What is checked before the dossier: a staff role, a step that is not a payment, a note where one is due.
    private static func checkedStep(_ action: DossierAction, by staff: User, input: StaffActionInput) throws -> (role: StaffRole, note: String) {
        guard let role = staff.role else { throw DossierError.forbidden("Tài khoản không có vai trò cán bộ.") }
        // Paying goes through the payment store (a receipt with every payment), never as a bare step.
        guard action != .pay else { throw DossierError.refused("Xác nhận nộp phí bằng biểu mẫu nộp phí của hồ sơ.") }
        return (role, try DossierNote.checked(input.note, requiredBecause: Self.noteRequirement(action)))
    }

    /// The same for a dossier the caller has just read for `staff` (`dossier(_:for:)`): the transaction reads
    /// it again, with the working calendar, before it writes, so it is not read twice beforehand.
    func perform(_ action: DossierAction, on read: Dossier, by staff: User, input: StaffActionInput,
                 at now: Int64 = Clock.nowMilliseconds()) async throws -> Dossier {
        let (role, note) = try Self.checkedStep(action, by: staff, input: input)
        try Self.checkWorksOnDossiers(staff)
        guard read.isVisible(to: staff) else { throw DossierError.notFound }
        let procedure = try await catalog.procedure(agencyCode: read.agencyCode, code: read.procedureCode)
        let officeHours = self.officeHours
        let links = publicURL
        let slips = self.slips
        let step = DossierStep(action: action, actor: .staff(role), actorID: staff.id, note: note, at: now)
        let recorded = Mutex<DossierSlips.Recorded?>(nil)
        let saved = try await store.transition(read.id, step, changes: { current, db in
            if let refusal = ProcessingPolicy.refusal(action, current, staff) { throw refusal }
            // The calendar in the transaction: a few rows, and one trip less than reading it before.
            let steps = ProcessingSteps(
                clock: ProcessClock(officeHours: officeHours, calendar: try await CalendarOverrides.calendar(in: db)), staff: staff,
                input: input, note: note, at: now, processingDays: procedure?.processingDays ?? 0, process: procedure?.process ?? [])
            return try await steps.changes(action, current, in: db)
        }, notice: { saved, db in
            guard let applicant = try await UserStore.user(id: saved.applicantID, in: db) else { throw DossierError.notSaved }
            return try await ApplicantNotice.after(action, dossier: saved, to: applicant, note: note, publicURL: links, in: db)
        }, issue: { saved, db in
            let slip = try await slips?.record(after: action, saved, by: staff, note: note, procedure: procedure, at: now, in: db)
            recorded.withLock { $0 = slip }
        })
        // The step is saved and answers now; its slip's PDF is drawn in the background (or at its first download).
        if let slips, let slip = recorded.withLock({ $0 }) {
            slips.drawLater(slip, database: database)
        }
        return saved
    }

    /// Compatibility for steps that need only a note.
    func perform(_ action: DossierAction, on id: Int64, by staff: User, note: String) async throws -> Dossier {
        try await perform(action, on: id, by: staff, input: StaffActionInput(note: note))
    }

    private static func noteRequirement(_ action: DossierAction) -> String? {
        switch action {
        case .requestSupplement: "Vui lòng ghi đầy đủ các giấy tờ cần bổ sung, sửa đổi (yêu cầu một lần)."
        case .sendBack: "Vui lòng ghi rõ lý do trả lại và việc cần làm lại."
        case .apologize: "Vui lòng ghi rõ lý do hồ sơ trễ hạn."
        case .requestFee: "Vui lòng ghi rõ khoản phí, lệ phí phải nộp và căn cứ thu."
        case _ where needsNote(action): "Vui lòng ghi rõ lý do."
        default: nil
        }
    }
}
