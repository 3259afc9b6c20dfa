import Foundation
import SQLKit

/// What each back-office step writes besides the status, worked out inside the write path's transaction
/// from the dossier as it is there: the appointment at acceptance, the step the dossier moves to with its
/// unit, holder and due moment, the hand-over rows of the control slip, the clock stopped by a supplement
/// request, and the apology's new date.
struct ProcessingSteps: Sendable {
    let clock: ProcessClock
    let staff: User
    let input: StaffActionInput
    let note: String
    let at: Int64
    /// The procedure's processing time and process now (used at acceptance; later steps follow the dossier's copy).
    let processingDays: Int
    let process: [ProcessStep]

    func changes(_ action: DossierAction, _ dossier: Dossier, in db: any SQLDatabase) async throws -> DossierChanges {
        var changes = DossierChanges()
        switch action {
        case .accept:
            let due = clock.calendar.deadline(from: Date(timeIntervalSince1970: Double(at) / 1000), workingDays: processingDays)
            changes.acceptedAt = at
            changes.dueAt = Int64((due.timeIntervalSince1970 * 1000).rounded())
            changes.deskNote = ""
            let steps = process.isEmpty ? ProcessStep.defaultProcess(processingDays: processingDays) : process
            var progress = DossierProgress(process: steps, revision: dossier.progress.revision)
            try await enter(0, of: &progress, dossier: dossier, receiver: staff.id, handedBy: nil, into: &changes, in: db)
        case .forward:
            var progress = dossier.progress
            let target = (progress.position ?? 0) + 1
            let receiver = try await checkedReceiver(for: progress.process[target], dossier: dossier, in: db)
            changes.closeHandoverAt = at
            try await enter(target, of: &progress, dossier: dossier, receiver: receiver, handedBy: staff.id, into: &changes, in: db)
        case .assign:
            guard let step = dossier.progress.currentStep else { throw DossierError.conflict("Hồ sơ chưa có quy trình xử lý.") }
            guard let assignee = input.toUserID else {
                throw DossierError.invalidFields(["to": "Vui lòng chọn chuyên viên được phân công."])
            }
            try await checkPerson(assignee, for: step, unitID: staff.role == .leader ? nil : dossier.progress.holderUnitID,
                                  dossier: dossier, in: db)
            var progress = dossier.progress
            progress.holderUserID = assignee
            changes.progress = progress
            changes.assignOpenHandoverTo = assignee
        case .sendBack:
            var progress = dossier.progress
            let target = (progress.position ?? 1) - 1
            let previousHolder = try await db.raw("""
                SELECT received_by FROM dossier_handovers WHERE dossier_id = \(bind: dossier.id) AND step_position = \(bind: target)
                ORDER BY id DESC
                """).first()?.decode(column: "received_by", as: Int64?.self)
            changes.closeHandoverAt = at
            try await enter(target, of: &progress, dossier: dossier, receiver: previousHolder ?? nil, handedBy: staff.id,
                            into: &changes, in: db)
        case .requestSupplement where dossier.status == .processing:
            let asked = try await db.raw("""
                SELECT COUNT(*) AS n FROM dossier_events WHERE dossier_id = \(bind: dossier.id)
                AND action = \(bind: DossierAction.requestSupplement.rawValue) AND from_status = \(bind: DossierStatus.processing.rawValue)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            guard asked == 0 else {
                throw DossierError.refused("Hồ sơ đã được yêu cầu bổ sung một lần trong quá trình xử lý; không yêu cầu thêm lần nữa.")
            }
            var progress = dossier.progress
            progress.pausedAt = at
            changes.progress = progress
            changes.deskNote = note
        case .refuse, .requestSupplement:
            changes.deskNote = note
        case .requestFee:
            guard let amount = input.amount else {
                throw DossierError.invalidFields(["amount": "Vui lòng nhập số tiền phí, lệ phí phải nộp."])
            }
            changes.deskNote = note
            changes.charge = NewCharge(amount: amount, reason: note, source: .desk, requestedBy: staff.id)
        case .supplement:
            // The desk answers a paper dossier's supplement: the clock restarts as when an applicant answers online.
            changes.deskNote = ""
            if dossier.progress.isPaused {
                let (progress, dueAt) = clock.resumed(dossier, at: at)
                changes.progress = progress
                changes.dueAt = dueAt
            }
        case .stop:
            changes.deskNote = note
            changes.closeHandoverAt = at
            changes.progress = released(dossier.progress)
        case .finish:
            let results = try await DossierStore.attachments(dossierID: dossier.id, in: db).filter { $0.kind == .result }
            guard !results.isEmpty else {
                throw DossierError.refused("Chưa có tệp kết quả: chuyên viên cần tải lên kết quả giải quyết trước khi phê duyệt.")
            }
            changes.finishedAt = at
            changes.closeHandoverAt = at
            var progress = dossier.progress
            try await enter(progress.process.count - 1, of: &progress, dossier: dossier, receiver: nil, handedBy: staff.id,
                            into: &changes, in: db)
        case .returnResult:
            let today = OfficeHours.civilDate(of: at)
            switch ResultDelivery.checked(method: dossier.deliveryMethod ?? .desk, input: input, today: today) {
            case .success(var delivery):
                delivery.recordedAt = at
                changes.delivery = delivery
            case .failure(let errors):
                throw DossierError.invalidFields(errors)
            }
            changes.returnedAt = at
            changes.closeHandoverAt = at
            changes.progress = released(dossier.progress)
        case .apologize:
            try apologize(dossier, into: &changes)
        default:
            break
        }
        return changes
    }

    /// Moves the progress to step `position`: its unit, the person receiving it (nil: the unit's pool), a
    /// fresh due moment, and the hand-over row that starts there.
    private func enter(
        _ position: Int, of progress: inout DossierProgress, dossier: Dossier, receiver: Int64?, handedBy: Int64?,
        into changes: inout DossierChanges, in db: any SQLDatabase
    ) async throws {
        let step = progress.process[position]
        let unitID = try await Self.unitID(named: step.unit, agencyCode: dossier.agencyCode, in: db)
        let due = clock.stepDue(from: at, halfDays: step.halfDays)
        progress.position = position
        progress.holderUnitID = unitID
        progress.holderUserID = receiver
        progress.stepStartedAt = at
        progress.stepDueAt = due
        progress.stepDueState = .inTime
        progress.pausedAt = nil
        changes.progress = progress
        changes.openHandover = NewHandover(
            position: position, stepName: step.name, unitID: unitID, handedBy: handedBy, receivedBy: receiver, receivedAt: at,
            dueAt: due, note: handedBy == nil ? "" : note)
    }

    /// The progress of a dossier that leaves processing (returned, stopped): nobody holds it any more.
    private func released(_ progress: DossierProgress) -> DossierProgress {
        var progress = progress
        progress.holderUnitID = nil
        progress.holderUserID = nil
        progress.stepDueAt = nil
        progress.stepDueState = .inTime
        progress.dueState = .inTime
        progress.pausedAt = nil
        return progress
    }

    /// The person chosen to receive the next step, if any: staff of the agency in the step's role, and of its
    /// unit unless the step is the desk's.
    private func checkedReceiver(for step: ProcessStep, dossier: Dossier, in db: any SQLDatabase) async throws -> Int64? {
        guard let receiver = input.toUserID else { return nil }
        let unitID = step.role == .receptionist ? nil : try await Self.unitID(named: step.unit, agencyCode: dossier.agencyCode, in: db)
        try await checkPerson(receiver, for: step, unitID: unitID, dossier: dossier, in: db)
        return receiver
    }

    private func checkPerson(_ userID: Int64, for step: ProcessStep, unitID: Int64?, dossier: Dossier, in db: any SQLDatabase) async throws {
        guard let person = try await UserStore.user(id: userID, in: db), person.isStaff, !person.disabled,
              person.agencyCode == dossier.agencyCode
        else {
            throw DossierError.invalidFields(["to": "Người nhận không phải cán bộ của cơ quan."])
        }
        guard person.role == step.role else {
            throw DossierError.invalidFields(["to": "Bước \"\(step.name)\" do \(step.role.label.lowercased()) thực hiện; hãy chọn đúng người."])
        }
        if let unitID, person.unitID != unitID {
            throw DossierError.invalidFields(["to": "Người nhận không thuộc \(step.unit)."])
        }
    }

    private func apologize(_ dossier: Dossier, into changes: inout DossierChanges) throws {
        guard let current = dossier.dueAt else { throw DossierError.conflict("Hồ sơ chưa có ngày hẹn trả kết quả.") }
        guard let date = input.newDueDate else {
            throw DossierError.invalidFields(["new_due_date": "Vui lòng chọn ngày hẹn trả kết quả mới."])
        }
        // The new appointment keeps the time of day of the old one.
        let timeOfDay = OfficeHours.split(current).timeOfDay
        let newDue = OfficeHours.instant(on: date, timeOfDay: timeOfDay)
        guard newDue > current else {
            throw DossierError.invalidFields([
                "new_due_date": "Ngày hẹn mới phải sau ngày hẹn hiện tại (\(VietnameseFormat.dateTime(current))).",
            ])
        }
        guard clock.calendar.isWorkingDay(date) else {
            throw DossierError.invalidFields(["new_due_date": "Ngày hẹn mới phải là ngày làm việc."])
        }
        changes.dueAt = newDue
        changes.apology = NewApology(byUserID: staff.id, reason: note, previousDueAt: current, newDueAt: newDue)
        var progress = dossier.progress
        progress.dueState = .inTime
        changes.progress = progress
    }

    /// The agency's unit of that name (a catalog import creates the units its processes name); nil if none.
    static func unitID(named name: String, agencyCode: String, in db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("""
            SELECT u.id FROM units u JOIN agencies a ON a.id = u.agency_id WHERE a.code = \(bind: agencyCode) AND u.name = \(bind: name)
            """).first()?.decode(column: "id", as: Int64.self)
    }
}

extension ProcessStep {
    /// The process of a procedure whose catalog entry has none (catalogs before processes were required):
    /// the desk receives (half a day), the processing unit works, a leader approves (a day), the desk returns
    /// (half a day).
    static func defaultProcess(processingDays: Int) -> [ProcessStep] {
        let total = max(processingDays * 2, 4)
        return [
            ProcessStep(name: "Tiếp nhận, kiểm tra hồ sơ", unit: receptionUnit, role: .receptionist, halfDays: 1),
            ProcessStep(name: "Thẩm định hồ sơ, dự thảo kết quả", unit: "Phòng chuyên môn", role: .processor, halfDays: total - 4 + 1),
            ProcessStep(name: "Lãnh đạo xem xét, phê duyệt", unit: leadershipUnit, role: .leader, halfDays: 1),
            ProcessStep(name: "Trả kết quả", unit: receptionUnit, role: .receptionist, halfDays: 1),
        ]
    }
}
