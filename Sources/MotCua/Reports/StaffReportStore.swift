import Foundation
import SQLKit

/// The reads of the staff reports per officer and the overdue list (the report per procedure reads the
/// statistics' day counters through `StatisticsStore`). Every query is bounded by the agency: hand-overs by
/// the agency's people (M0023's indexes per person), dossiers by the agency's due-moment index.
struct StaffReportStore: Sendable {
    let database: any Database

    /// The most rows the overdue list returns; the page says when there were more.
    static let overdueLimit = 50_000

    /// Each person's figures of the agency, by user id; a person without any is absent.
    func officerFigures(agencyCode: String, from start: Int64, before end: Int64, now: Int64) async throws -> [Int64: OfficerFigures] {
        let people: SQLQueryString = "(SELECT u.id FROM users u JOIN agencies a ON a.id = u.agency_id WHERE a.code = \(bind: agencyCode))"
        return try await database.read { db in
            var figures: [Int64: OfficerFigures] = [:]
            let received = try await db.raw("""
                SELECT h.received_by AS user_id, COUNT(*) AS n FROM dossier_handovers h
                WHERE h.received_by IN \(people) AND h.received_at >= \(bind: start) AND h.received_at < \(bind: end)
                GROUP BY h.received_by
                """).all()
            for row in received {
                figures[try row.decode(column: "user_id", as: Int64.self), default: .init()].received = try row.decode(column: "n", as: Int.self)
            }
            let finished = try await db.raw("""
                SELECT h.received_by AS user_id,
                    SUM(CASE WHEN h.outcome = 'early' THEN 1 ELSE 0 END) AS early,
                    SUM(CASE WHEN h.outcome = 'on_time' THEN 1 ELSE 0 END) AS on_time,
                    SUM(CASE WHEN h.outcome = 'late' THEN 1 ELSE 0 END) AS late
                FROM dossier_handovers h
                WHERE h.received_by IN \(people) AND h.finished_at >= \(bind: start) AND h.finished_at < \(bind: end)
                GROUP BY h.received_by
                """).all()
            for row in finished {
                let id = try row.decode(column: "user_id", as: Int64.self)
                figures[id, default: .init()].early = try row.decode(column: "early", as: Int?.self) ?? 0
                figures[id, default: .init()].onTime = try row.decode(column: "on_time", as: Int?.self) ?? 0
                figures[id, default: .init()].late = try row.decode(column: "late", as: Int?.self) ?? 0
            }
            let holding = try await db.raw("""
                SELECT d.holder_user_id AS user_id, COUNT(*) AS n,
                    SUM(CASE WHEN d.paused_at IS NULL AND d.step_due_at < \(bind: now) THEN 1 ELSE 0 END) AS overdue
                FROM dossiers d
                WHERE d.holder_user_id IN \(people) AND d.status IN (2, 4, 5, 6)
                GROUP BY d.holder_user_id
                """).all()
            for row in holding {
                let id = try row.decode(column: "user_id", as: Int64.self)
                figures[id, default: .init()].holding = try row.decode(column: "n", as: Int.self)
                figures[id, default: .init()].holdingOverdue = try row.decode(column: "overdue", as: Int?.self) ?? 0
            }
            return figures
        }
    }

    /// Dossiers of the agency whose appointment fell in the period, before `now`, and that are still open
    /// past it (a supplement request stops the clock, so those are not listed) or were resolved after it;
    /// by appointment. At most `limit` rows.
    func overdue(agencyCode: String, from start: Int64, before end: Int64, now: Int64, limit: Int = overdueLimit) async throws
        -> [OverdueDossier]
    {
        try await database.read { db in
            // COALESCE(due_at, submitted_at) is the agency due-moment index's key (M0006).
            try await db.raw("""
                SELECT d.code, p.name AS procedure_name, d.applicant_name, d.submitted_at, d.due_at, d.finished_at, d.step_name,
                    u.display_name AS holder_name,
                    (SELECT COUNT(*) FROM dossier_apologies ap WHERE ap.dossier_id = d.id) AS apologies
                FROM dossiers d
                JOIN procedures p ON p.id = d.procedure_id
                LEFT JOIN users u ON u.id = d.holder_user_id AND d.status IN (2, 4, 6)
                WHERE d.agency_id = (SELECT id FROM agencies WHERE code = \(bind: agencyCode))
                    AND COALESCE(d.due_at, d.submitted_at) >= \(bind: start) AND COALESCE(d.due_at, d.submitted_at) < \(bind: end)
                    AND d.due_at IS NOT NULL AND d.due_at < \(bind: now)
                    AND ((d.status IN (2, 4, 6) AND d.finished_at IS NULL) OR d.finished_at > d.due_at)
                ORDER BY COALESCE(d.due_at, d.submitted_at), d.id
                LIMIT \(bind: limit)
                """).all().map { row in
                OverdueDossier(
                    code: try row.decode(column: "code", as: String?.self) ?? "",
                    procedureName: try row.decode(column: "procedure_name"), applicantName: try row.decode(column: "applicant_name"),
                    submittedAt: try row.decode(column: "submitted_at"), dueAt: try row.decode(column: "due_at"),
                    finishedAt: try row.decode(column: "finished_at"), stepName: try row.decode(column: "step_name"),
                    holderName: try row.decode(column: "holder_name"), apologies: try row.decode(column: "apologies"))
            }
        }
    }
}
