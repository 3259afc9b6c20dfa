import Foundation
import HTTPTypes
import SQLKit

/// Dossiers in SQL, and the only code that writes them. Every status change goes through `transition`,
/// which asks `DossierStateMachine`, writes the row, the history entry and the outbox message in one
/// transaction, and lets exactly one of two concurrent steps win.
struct DossierStore: Sendable {
    let database: any Database

    static let columns = """
        d.id, d.code, d.procedure_id, p.code AS procedure_code, p.name AS procedure_name, a.code AS agency_code,
        a.name AS agency_name, d.applicant_id, d.status, d.channel, d.request_summary, d.form_values,
        d.delivery_method, d.delivery_address, d.created_at, d.submitted_at, d.due_at, d.accepted_at, d.finished_at,
        d.returned_at, d.desk_note, d.applicant_name, d.applicant_id_number, d.revision, d.process, d.step_position,
        d.holder_unit_id, d.holder_user_id, d.step_started_at, d.step_due_at, d.paused_at, d.due_state, d.step_due_state,
        hu.name AS holder_unit_name, hu.head_user_id AS holder_unit_head_id, hh.display_name AS holder_user_name
        """
    static let joins = "FROM dossiers d JOIN procedures p ON p.id = d.procedure_id JOIN agencies a ON a.id = d.agency_id"
    /// One dossier with the names of its holder.
    static let detailJoins = joins + " LEFT JOIN units hu ON hu.id = d.holder_unit_id LEFT JOIN users hh ON hh.id = d.holder_user_id"

    func dossier(id: Int64) async throws -> Dossier? {
        try await database.read { try await Self.dossier(id: id, in: $0) }
    }

    static func dossier(id: Int64, in db: any SQLDatabase) async throws -> Dossier? {
        try await db.raw("SELECT \(unsafeRaw: columns) \(unsafeRaw: detailJoins) WHERE d.id = \(bind: id)").first().map(dossier(from:))
    }

    /// The applicant's own dossiers, newest first: one index range scan on (applicant_id, id), or on
    /// (applicant_id, status, id) with a status filter, from the cursor on.
    func summaries(applicantID: Int64, filter: DossierFilter = .init(), after cursor: DossierCursor? = nil, limit: Int) async throws -> DossierListPage {
        var query: SQLQueryString = "SELECT \(unsafeRaw: Self.summaryColumns) \(unsafeRaw: Self.joins) WHERE d.applicant_id = \(bind: applicantID)"
        query += Self.conditions(filter)
        if let cursor { query += " AND d.id < \(bind: cursor.id)" }
        query += " ORDER BY d.id DESC LIMIT \(bind: limit + 1)"
        let (rows, hasMore) = try await page(query, limit: limit, applicantName: false)
        return DossierListPage(items: rows, next: hasMore ? rows.last.map { DossierCursor(id: $0.id) } : nil)
    }

    static let summaryColumns = """
        d.id, d.code, p.name AS procedure_name, a.name AS agency_name, d.status, d.created_at, d.submitted_at, d.due_at
        """

    static func conditions(_ filter: DossierFilter) -> SQLQueryString {
        var sql: SQLQueryString = ""
        if let status = filter.status { sql += " AND d.status = \(bind: status.rawValue)" }
        if let code = filter.code { sql += " AND d.code = \(bind: code)" }
        return sql
    }

    /// Runs a list query that asked for one row more than `limit`: the rows to show, and whether more follow.
    func page(_ query: SQLQueryString, limit: Int, applicantName: Bool) async throws -> ([DossierSummary], Bool) {
        try Self.summaries(try await database.read { db in try await db.raw(query).all() }, limit: limit, applicantName: applicantName)
    }

    /// The list rows of a page read with one row more than `limit`, and whether there are more.
    static func summaries(_ rows: [any SQLRow], limit: Int, applicantName: Bool) throws -> ([DossierSummary], Bool) {
        let items = try rows.prefix(limit).map { row in
            var summary = DossierSummary(
                id: try row.decode(column: "id", as: Int64.self), code: try row.nullable("code", as: String.self),
                procedureName: try row.decode(column: "procedure_name", as: String.self),
                agencyName: try row.decode(column: "agency_name", as: String.self),
                status: DossierStatus(rawValue: try row.decode(column: "status", as: Int.self)) ?? .draft,
                createdAt: try row.decode(column: "created_at", as: Int64.self),
                submittedAt: try row.nullable("submitted_at", as: Int64.self), dueAt: try row.nullable("due_at", as: Int64.self),
                applicantName: applicantName ? try row.decode(column: "applicant_name", as: String.self) : nil)
            if applicantName {
                summary.stepName = try row.nullable("step_name", as: String.self)
                summary.holderName = try row.nullable("holder_name", as: String.self)
                summary.stepDueAt = try row.nullable("step_due_at", as: Int64.self)
                summary.dueState = DueState(rawValue: try row.decode(column: "due_state", as: Int.self)) ?? .inTime
                summary.stepDueState = DueState(rawValue: try row.decode(column: "step_due_state", as: Int.self)) ?? .inTime
            }
            return summary
        }
        return (items, rows.count > limit)
    }

    func publicStatus(code: String) async throws -> PublicDossierStatus? {
        try await database.read { try await Self.publicStatus(code: code, in: $0) }
    }

    static func publicStatus(code: String, in db: any SQLDatabase) async throws -> PublicDossierStatus? {
        try await publicStatus(code: code, alongWith: "NULL", in: db)?.status
    }

    /// The public status, and `extra` (a scalar subquery giving an integer or NULL) read in the same statement.
    static func publicStatus(code: String, alongWith extra: SQLQueryString, in db: any SQLDatabase) async throws
        -> (status: PublicDossierStatus, extra: Int64?)? {
        guard let row = try await db.raw("""
            SELECT d.code, p.name AS procedure_name, a.name AS agency_name, d.status, d.submitted_at, d.due_at,
                (SELECT COUNT(*) FROM dossier_apologies ap WHERE ap.dossier_id = d.id) AS apologies, \(extra) AS extra
            \(unsafeRaw: Self.joins) WHERE d.code = \(bind: code)
            """).first()
        else { return nil }
        let status = DossierStatus(rawValue: try row.decode(column: "status", as: Int.self)) ?? .registered
        return (PublicDossierStatus(
            code: try row.decode(column: "code"), procedureName: try row.decode(column: "procedure_name"),
            agencyName: try row.decode(column: "agency_name"), status: status, statusLabel: status.label,
            submittedAt: try row.decode(column: "submitted_at"), dueAt: try row.decode(column: "due_at"),
            rescheduled: try row.decode(column: "apologies", as: Int.self) > 0), try row.decode(column: "extra", as: Int64?.self))
    }

    func attachments(dossierID: Int64) async throws -> [DossierAttachment] {
        try await database.read { try await Self.attachments(dossierID: dossierID, in: $0) }
    }

    static func attachments(dossierID: Int64, in db: any SQLDatabase) async throws -> [DossierAttachment] {
        try await db.raw("""
            SELECT id, document_position, sha256, size_bytes, content_type, display_name, kind FROM dossier_attachments
            WHERE dossier_id = \(bind: dossierID) ORDER BY document_position, id
            """).all().map { row in
                DossierAttachment(
                    id: try row.decode(column: "id"), documentPosition: try row.decode(column: "document_position"),
                    sha256: try row.decode(column: "sha256"), size: try row.decode(column: "size_bytes"),
                    contentType: try row.decode(column: "content_type"), displayName: try row.decode(column: "display_name"),
                    kind: AttachmentKind(rawValue: try row.decode(column: "kind")) ?? .applicant)
            }
    }

    func events(dossierID: Int64) async throws -> [DossierEvent] {
        try await database.read { try await Self.events(dossierID: dossierID, in: $0) }
    }

    static func events(dossierID: Int64, in db: any SQLDatabase) async throws -> [DossierEvent] {
        try await db.raw("""
            SELECT e.at, e.actor_id, u.display_name AS actor_name, e.action, e.from_status, e.to_status, e.note
            FROM dossier_events e LEFT JOIN users u ON u.id = e.actor_id
            WHERE e.dossier_id = \(bind: dossierID) ORDER BY e.at, e.id
            """).all().map { row in
                DossierEvent(
                    at: try row.decode(column: "at"), actorID: try row.decode(column: "actor_id"),
                    actorName: try row.decode(column: "actor_name"),
                    action: try JSONColumn.enumValue(row, "action"),
                    from: DossierStatus(rawValue: try row.decode(column: "from_status")) ?? .draft,
                    to: DossierStatus(rawValue: try row.decode(column: "to_status")) ?? .draft,
                    note: try row.decode(column: "note"))
            }
    }

    /// The next code for the agency's day; the row lock taken by the upsert keeps concurrent submissions apart.
    static func allocateCode(dossierID: Int64, agencyCode: String, day: String, in db: any SQLDatabase) async throws -> String {
        guard let agency = try await db.raw("SELECT agency_id FROM dossiers WHERE id = \(bind: dossierID)").first() else {
            throw DossierError.notFound
        }
        let agencyID = try agency.decode(column: "agency_id", as: Int64.self)
        guard let row = try await db.raw("""
            INSERT INTO dossier_sequences (agency_id, day, last_value) VALUES (\(bind: agencyID), \(bind: day), 1)
            ON CONFLICT (agency_id, day) DO UPDATE SET last_value = dossier_sequences.last_value + 1
            RETURNING last_value
            """).first()
        else { throw DossierError.notSaved }
        return DossierCode.make(agencyCode: agencyCode, day: day, sequence: try row.decode(column: "last_value"))
    }

    static func dossier(from row: any SQLRow) throws -> Dossier {
        let values: [String: String] = try JSONColumn.decode(row, "form_values")
        return Dossier(
            id: try row.decode(column: "id"), code: try row.decode(column: "code"),
            procedureID: try row.decode(column: "procedure_id"), procedureCode: try row.decode(column: "procedure_code"),
            procedureName: try row.decode(column: "procedure_name"), agencyCode: try row.decode(column: "agency_code"),
            agencyName: try row.decode(column: "agency_name"), applicantID: try row.decode(column: "applicant_id"),
            status: DossierStatus(rawValue: try row.decode(column: "status")) ?? .draft,
            channel: DossierChannel(rawValue: try row.decode(column: "channel")) ?? .online,
            requestSummary: try row.decode(column: "request_summary"), formValues: values,
            deliveryMethod: try row.decode(column: "delivery_method", as: String?.self).flatMap(DeliveryMethod.init(rawValue:)),
            deliveryAddress: try row.decode(column: "delivery_address"), createdAt: try row.decode(column: "created_at"),
            submittedAt: try row.decode(column: "submitted_at"), dueAt: try row.decode(column: "due_at"),
            acceptedAt: try row.decode(column: "accepted_at"), finishedAt: try row.decode(column: "finished_at"),
            returnedAt: try row.decode(column: "returned_at"), deskNote: try row.decode(column: "desk_note"),
            applicantName: try row.decode(column: "applicant_name"), applicantIDNumber: try row.decode(column: "applicant_id_number"),
            progress: try progress(from: row))
    }

    static func progress(from row: any SQLRow) throws -> DossierProgress {
        let process: [ProcessStep] = try row.decode(column: "process", as: String?.self) == nil ? [] : try JSONColumn.decode(row, "process")
        return DossierProgress(
            process: process, position: try row.decode(column: "step_position"),
            holderUnitID: try row.decode(column: "holder_unit_id"), holderUserID: try row.decode(column: "holder_user_id"),
            stepStartedAt: try row.decode(column: "step_started_at"), stepDueAt: try row.decode(column: "step_due_at"),
            pausedAt: try row.decode(column: "paused_at"),
            dueState: DueState(rawValue: try row.decode(column: "due_state")) ?? .inTime,
            stepDueState: DueState(rawValue: try row.decode(column: "step_due_state")) ?? .inTime,
            revision: try row.decode(column: "revision"), holderUnitName: try row.decode(column: "holder_unit_name"),
            holderUnitHeadID: try row.decode(column: "holder_unit_head_id"), holderUserName: try row.decode(column: "holder_user_name"))
    }
}
