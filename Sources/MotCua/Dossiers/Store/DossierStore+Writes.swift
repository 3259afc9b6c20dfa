import Foundation
import SQLKit

/// The writes of `DossierStore`: drafts, attachments, the one status transition, and cleanup.
extension DossierStore {
    /// A new draft of `procedureID` for the applicant.
    func insertDraft(applicantID: Int64, procedureID: Int64, input: DraftInput, channel: DossierChannel = .online) async throws -> Dossier {
        try await database.transaction { db in
            try await Self.insertDraft(applicantID: applicantID, procedureID: procedureID, input: input, channel: channel, in: db)
        }
    }

    static func insertDraft(applicantID: Int64, procedureID: Int64, input: DraftInput, channel: DossierChannel,
                            in db: any SQLDatabase) async throws -> Dossier {
        let now = Clock.nowMilliseconds()
        let values = try JSONColumn.encode(input.values)
        guard let row = try await db.raw("""
                INSERT INTO dossiers (procedure_id, agency_id, applicant_id, status, channel, request_summary, form_values,
                    delivery_method, delivery_address, created_at, updated_at)
                SELECT p.id, p.agency_id, \(bind: applicantID), \(bind: DossierStatus.draft.rawValue), \(bind: channel.rawValue),
                    \(bind: input.requestSummary), \(bind: values), \(bind: input.deliveryMethod?.rawValue),
                    \(bind: input.deliveryAddress), \(bind: now), \(bind: now)
                FROM procedures p WHERE p.id = \(bind: procedureID)
                RETURNING id
                """).first(),
                let dossier = try await Self.dossier(id: try row.decode(column: "id"), in: db)
        else { throw DossierError.notSaved }
        return dossier
    }

    /// Replaces what the applicant entered on a draft (the files stay); a dossier submitted meanwhile is a conflict.
    func updateDraft(id: Int64, input: DraftInput) async throws -> Dossier {
        let values = try JSONColumn.encode(input.values)
        return try await database.transaction { db in
            guard try await db.raw("""
                UPDATE dossiers SET request_summary = \(bind: input.requestSummary), form_values = \(bind: values),
                    delivery_method = \(bind: input.deliveryMethod?.rawValue), delivery_address = \(bind: input.deliveryAddress),
                    updated_at = \(bind: Clock.nowMilliseconds())
                WHERE id = \(bind: id) AND status = \(bind: DossierStatus.draft.rawValue) RETURNING id
                """).first() != nil
            else { throw DossierError.conflict("Hồ sơ vừa được nộp; không sửa được nữa.") }
            guard let saved = try await Self.dossier(id: id, in: db) else { throw DossierError.notSaved }
            return saved
        }
    }

    /// Records a stored file on the dossier while its status takes files of `kind`. The dossier's row is
    /// locked first (its `updated_at` is touched), so parallel uploads to one dossier are counted one after
    /// another against `maxDossierBytes`, which is checked here, at the insert, not only before streaming.
    func addAttachment(
        dossierID: Int64, position: Int, file: StoredFile, contentType: String, displayName: String, kind: AttachmentKind,
        maxDossierBytes: Int64, maxFileBytes: Int64
    ) async throws {
        let open = Dossier.statuses(accepting: kind).map(\.rawValue)
        try await database.transaction { db in
            guard try await db.raw("""
                UPDATE dossiers SET updated_at = \(bind: Clock.nowMilliseconds())
                WHERE id = \(bind: dossierID) AND status IN (\(binds: open)) RETURNING id
                """).first() != nil
            else { throw UploadError.closed(Dossier.closedMessage(for: kind)) }
            let used = try await db.raw("""
                SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS used FROM dossier_attachments WHERE dossier_id = \(bind: dossierID)
                """).first()?.decode(column: "used", as: Int64.self) ?? 0
            guard used + file.size <= maxDossierBytes else {
                throw UploadError.tooLarge(maxFileBytes: maxFileBytes, remainingBytes: maxDossierBytes - used)
            }
            try await db.raw("""
                INSERT INTO dossier_attachments (dossier_id, document_position, sha256, size_bytes, content_type, display_name, kind, created_at)
                VALUES (\(bind: dossierID), \(bind: position), \(bind: file.sha256), \(bind: file.size), \(bind: contentType),
                    \(bind: displayName), \(bind: kind.rawValue), \(bind: Clock.nowMilliseconds()))
                """).run()
        }
    }

    /// The one write path of a dossier's status. In one transaction: reads the dossier, asks the state
    /// machine for the next status, lets `changes` check the dossier and name the other columns and rows the
    /// step writes, writes the row only if its revision is still the one read (so of two concurrent steps
    /// exactly one wins, even when both keep the status; the other gets a conflict), records the history
    /// entry and the hand-overs, and writes the notice that `notice` makes of the saved dossier to the outbox.
    func transition(
        _ dossierID: Int64, _ step: DossierStep,
        changes: @escaping @Sendable (Dossier, any SQLDatabase) async throws -> DossierChanges = { _, _ in DossierChanges() },
        notice: @escaping @Sendable (Dossier, any SQLDatabase) async throws -> Notice? = { _, _ in nil },
        issue: @escaping @Sendable (Dossier, any SQLDatabase) async throws -> Void = { _, _ in }
    ) async throws -> Dossier {
        try await database.transaction { db in
            try await Self.transition(dossierID, step, changes: changes, notice: notice, issue: issue, in: db)
        }
    }

    /// `transition` inside a transaction the caller holds (a payment's settlement writes its own rows beside it).
    static func transition(
        _ dossierID: Int64, _ step: DossierStep,
        changes: @Sendable (Dossier, any SQLDatabase) async throws -> DossierChanges = { _, _ in DossierChanges() },
        notice: @Sendable (Dossier, any SQLDatabase) async throws -> Notice? = { _, _ in nil },
        issue: @Sendable (Dossier, any SQLDatabase) async throws -> Void = { _, _ in },
        in db: any SQLDatabase
    ) async throws -> Dossier {
        guard let current = try await Self.dossier(id: dossierID, in: db) else { throw DossierError.notFound }
        var state = current.machineState
        state.feeDue = step.feeDue
        let next = try DossierStateMachine.next(state, step.action, by: step.actor)
        let extra = try await changes(current, db)
        var update: SQLQueryString = """
            UPDATE dossiers SET status = \(bind: next.rawValue), updated_at = \(bind: step.at), revision = revision + 1
            """
        update += try Self.assignments(extra)
        update += " WHERE id = \(bind: dossierID) AND status = \(bind: current.status.rawValue)"
        update += " AND revision = \(bind: current.progress.revision) RETURNING id"
        guard try await db.raw(update).first() != nil else {
            throw DossierError.conflict("Hồ sơ vừa được người khác xử lý hoặc đã thay đổi trạng thái. Vui lòng tải lại trang.")
        }
        try await db.raw("""
            INSERT INTO dossier_events (dossier_id, at, actor_id, action, from_status, to_status, note)
            VALUES (\(bind: dossierID), \(bind: step.at), \(bind: step.actorID), \(bind: step.action.rawValue),
                \(bind: current.status.rawValue), \(bind: next.rawValue), \(bind: step.note))
            """).run()
        try await Self.recordHandovers(extra, dossierID: dossierID, actorID: step.actorID, in: db)
        if let apology = extra.apology {
            try await db.raw("""
                INSERT INTO dossier_apologies (dossier_id, at, by_user_id, reason, previous_due_at, new_due_at)
                VALUES (\(bind: dossierID), \(bind: step.at), \(bind: apology.byUserID), \(bind: apology.reason),
                    \(bind: apology.previousDueAt), \(bind: apology.newDueAt))
                """).run()
        }
        if let delivery = extra.delivery {
            try await db.raw("""
                INSERT INTO dossier_deliveries (dossier_id, method, collector_name, collector_id_number, tracking_number, sent_on,
                    recorded_at, recorded_by)
                VALUES (\(bind: dossierID), \(bind: delivery.method.rawValue), \(bind: delivery.collectorName),
                    \(bind: delivery.collectorIDNumber), \(bind: delivery.trackingNumber), \(bind: delivery.sentOn?.description),
                    \(bind: step.at), \(bind: step.actorID))
                """).run()
        }
        if let charge = extra.charge {
            try await PaymentStore.openCharge(charge, dossierID: dossierID, at: step.at, in: db)
        }
        if [.withdrawn, .refused, .stopped].contains(next) {
            // Nothing more is owed on a dossier that ends here; what was paid is refunded from its page.
            try await PaymentStore.cancelOpenCharges(dossierID: dossierID, at: step.at, in: db)
        }
        guard let saved = try await Self.dossier(id: dossierID, in: db) else { throw DossierError.notSaved }
        if let message = try await notice(saved, db) { try await Outbox.enqueue(message, in: db) }
        try await issue(saved, db)
        return saved
    }

    /// The SET list of the columns a step changes besides status, updated_at and revision.
    private static func assignments(_ extra: DossierChanges) throws -> SQLQueryString {
        var sql: SQLQueryString = ""
        if let code = extra.code { sql += ", code = \(bind: code)" }
        if let value = extra.submittedAt { sql += ", submitted_at = \(bind: value)" }
        if let value = extra.acceptedAt { sql += ", accepted_at = \(bind: value)" }
        if let value = extra.dueAt { sql += ", due_at = \(bind: value)" }
        if let value = extra.finishedAt { sql += ", finished_at = \(bind: value)" }
        if let value = extra.returnedAt { sql += ", returned_at = \(bind: value)" }
        if let value = extra.deskNote { sql += ", desk_note = \(bind: value)" }
        if let value = extra.applicantName { sql += ", applicant_name = \(bind: value)" }
        if let value = extra.applicantIDNumber { sql += ", applicant_id_number = \(bind: value)" }
        if let progress = extra.progress {
            sql += """
                , process = \(bind: try JSONColumn.encode(progress.process)), step_position = \(bind: progress.position),
                step_role = \(bind: progress.currentStep?.role.rawValue), step_name = \(bind: progress.currentStep?.name),
                holder_unit_id = \(bind: progress.holderUnitID),
                holder_user_id = \(bind: progress.holderUserID), step_started_at = \(bind: progress.stepStartedAt),
                step_due_at = \(bind: progress.stepDueAt), paused_at = \(bind: progress.pausedAt),
                due_state = \(bind: progress.dueState.rawValue), step_due_state = \(bind: progress.stepDueState.rawValue)
                """
        }
        return sql
    }

    /// Reassigns, closes and opens hand-over rows as the step says. A row closed while nobody had received it
    /// (a step left to its unit's pool, the desk's last step) names the person who acted on it.
    private static func recordHandovers(_ extra: DossierChanges, dossierID: Int64, actorID: Int64?, in db: any SQLDatabase) async throws {
        if let assignee = extra.assignOpenHandoverTo {
            try await db.raw("""
                UPDATE dossier_handovers SET received_by = \(bind: assignee) WHERE dossier_id = \(bind: dossierID) AND finished_at IS NULL
                """).run()
        }
        if let finishedAt = extra.closeHandoverAt,
           let open = try await db.raw("""
               SELECT id, due_at FROM dossier_handovers WHERE dossier_id = \(bind: dossierID) AND finished_at IS NULL ORDER BY id DESC
               """).first() {
            let outcome = StepOutcome.judge(finishedAt: finishedAt, dueAt: try open.decode(column: "due_at"))
            try await db.raw("""
                UPDATE dossier_handovers SET finished_at = \(bind: finishedAt), outcome = \(bind: outcome.rawValue),
                    received_by = COALESCE(received_by, \(bind: actorID))
                WHERE id = \(bind: try open.decode(column: "id", as: Int64.self))
                """).run()
        }
        if let row = extra.openHandover {
            try await db.raw("""
                INSERT INTO dossier_handovers (dossier_id, step_position, step_name, unit_id, handed_by, received_by, received_at, due_at, note)
                VALUES (\(bind: dossierID), \(bind: row.position), \(bind: row.stepName), \(bind: row.unitID), \(bind: row.handedBy),
                    \(bind: row.receivedBy), \(bind: row.receivedAt), \(bind: row.dueAt), \(bind: row.note))
                """).run()
        }
    }

    /// Deletes drafts untouched since `cutoff` (their attachments go with them); returns how many. Their
    /// files stay on disk: the file store sweep removes files no row refers to, after its grace period, so
    /// a new upload of the same bytes (files are named by content) never loses its file to this cleanup.
    func deleteStaleDrafts(untouchedSince cutoff: Int64) async throws -> Int {
        try await database.transaction { db in
            let stale = try await db.raw("""
                SELECT id FROM dossiers WHERE status = \(bind: DossierStatus.draft.rawValue) AND updated_at < \(bind: cutoff)
                """).all().map { try $0.decode(column: "id", as: Int64.self) }
            for id in stale {
                try await db.raw("DELETE FROM dossiers WHERE id = \(bind: id) AND status = \(bind: DossierStatus.draft.rawValue)").run()
            }
            return stale.count
        }
    }
}
