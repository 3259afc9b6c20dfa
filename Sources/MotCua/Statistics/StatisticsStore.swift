import Foundation
import SQLKit

/// Dossier counts of one period, for the whole installation or one agency, and the satisfaction ratings given in it.
///
/// Received and resolved dossiers come from the day counters that triggers keep in step with every write to
/// `dossiers` (M0020): a year is a sum over ~365 rows per procedure, whatever the number of dossiers.
/// Received dossiers are counted on the Vietnam day they were submitted (online, at the desk or by post) with
/// where they are now; resolved ones on the day the result was ready, judged against the appointment as the
/// control slip judges a step (`StepOutcome.judge`: a day before the due day is early). Being overdue depends
/// on the clock, so it is counted from the open dossiers themselves.
struct StatisticsStore: Sendable {
    let database: any Database

    private static let utcOffset: Int64 = 7 * 3_600_000
    private static let dayLength: Int64 = 86_400_000

    func counts(agencyCode: String?, from start: Int64, before end: Int64, now: Int64) async throws -> PeriodCounts {
        let firstDay = (start + Self.utcOffset) / Self.dayLength, endDay = (end + Self.utcOffset) / Self.dayLength
        return try await database.read { db in
            var result = PeriodCounts()
            let sums = StatisticsCounters.columns.map { "SUM(\($0)) AS \($0)" }.joined(separator: ", ")
            var daily: SQLQueryString = """
                SELECT procedure_id, \(unsafeRaw: sums) FROM dossier_day_counts
                WHERE day >= \(bind: firstDay) AND day < \(bind: endDay)
                """
            if let agencyCode { daily += " AND agency_id = (SELECT id FROM agencies WHERE code = \(bind: agencyCode))" }
            daily += " GROUP BY procedure_id"
            for row in try await db.raw(daily).all() {
                let procedure = try row.decode(column: "procedure_id", as: Int64.self)
                let value = { (column: String) in try row.decode(column: column, as: Int?.self) ?? 0 }
                var counts = DossierCounts()
                counts.online = try value("online")
                counts.desk = try value("desk")
                counts.post = try value("post")
                counts.received = counts.online + counts.desk + counts.post
                counts.waiting = try value("waiting")
                counts.inProgress = try value("in_progress")
                counts.refused = try value("refused")
                counts.withdrawn = try value("withdrawn")
                counts.stopped = try value("stopped")
                counts.finished = try value("finished")
                counts.early = try value("early")
                counts.onTime = try value("on_time")
                counts.late = try value("late")
                counts.resolved = counts.early + counts.onTime + counts.late
                // A day row whose dossiers all moved away sums to zero: not a procedure with figures.
                guard counts != DossierCounts() else { continue }
                result.add(procedure: procedure) { $0.add(counts) }
            }
            var overdue: SQLQueryString = """
                SELECT procedure_id, COUNT(*) AS n FROM dossiers
                WHERE status IN (2, 4, 6) AND due_at < \(bind: now) AND submitted_at >= \(bind: start) AND submitted_at < \(bind: end)
                """
            if let agencyCode { overdue += " AND agency_id = (SELECT id FROM agencies WHERE code = \(bind: agencyCode))" }
            overdue += " GROUP BY procedure_id"
            for row in try await db.raw(overdue).all() {
                let n = try row.decode(column: "n", as: Int.self)
                result.add(procedure: try row.decode(column: "procedure_id", as: Int64.self)) { $0.overdue += n }
            }
            var rated: SQLQueryString = """
                SELECT COUNT(*) AS n,
                    SUM(CASE WHEN information + attitude + timeliness + outcome >= \(unsafeRaw: String(Rating.satisfiedSum)) THEN 1 ELSE 0 END)
                        AS satisfied
                FROM dossier_ratings
                WHERE rated_at >= \(bind: start) AND rated_at < \(bind: end)
                """
            if let agencyCode { rated += " AND agency_id = (SELECT id FROM agencies WHERE code = \(bind: agencyCode))" }
            if let row = try await db.raw(rated).first() {
                result.total.ratings = try row.decode(column: "n", as: Int.self)
                result.total.satisfied = try row.decode(column: "satisfied", as: Int?.self) ?? 0
            }
            var charges: SQLQueryString = """
                SELECT COUNT(DISTINCT c.dossier_id) AS charged,
                    COUNT(DISTINCT CASE WHEN EXISTS (
                        SELECT 1 FROM payment_attempts t
                        WHERE t.charge_id = c.id AND t.state = 'paid' AND t.method IN ('vnpay', 'national-platform')
                    ) THEN c.dossier_id END) AS paid_online
                FROM dossier_charges c JOIN dossiers d ON d.id = c.dossier_id
                WHERE c.created_at >= \(bind: start) AND c.created_at < \(bind: end)
                """
            if let agencyCode { charges += " AND d.agency_id = (SELECT id FROM agencies WHERE code = \(bind: agencyCode))" }
            if let row = try await db.raw(charges).first() {
                result.total.charged = try row.decode(column: "charged", as: Int.self)
                result.total.paidOnline = try row.decode(column: "paid_online", as: Int.self)
            }
            return result
        }
    }
}

/// The counts of one period: all of them, and per procedure.
struct PeriodCounts: Sendable, Equatable {
    var total = DossierCounts()
    var byProcedure: [Int64: DossierCounts] = [:]

    mutating func add(procedure: Int64, _ change: (inout DossierCounts) -> Void) {
        change(&total)
        change(&byProcedure[procedure, default: DossierCounts()])
    }
}

/// How many dossiers were received in a period (by channel, and where those dossiers are now) and how many
/// were resolved in it (early, on time, late).
struct DossierCounts: Sendable, Equatable, Codable {
    var received = 0
    var online = 0
    var desk = 0
    var post = 0
    /// Submitted online, not yet taken in by the desk.
    var waiting = 0
    /// Accepted and not finished yet (processing, supplement or fee requested).
    var inProgress = 0
    /// Of those in progress, past their appointment (the clock stopped for a supplement request is not counted).
    var overdue = 0
    var refused = 0
    var withdrawn = 0
    var stopped = 0
    /// Received in the period with the result ready or returned by now.
    var finished = 0
    var resolved = 0
    var early = 0
    var onTime = 0
    var late = 0
    /// Satisfaction ratings given in the period, and of those the satisfied ones (answers averaging 4 or more).
    var ratings = 0
    var satisfied = 0
    /// Dossiers asked for a fee in the period, and of those the ones paid through an online gateway.
    var charged = 0
    var paidOnline = 0

    var earlyOrOnTime: Int { early + onTime }

    mutating func add(_ other: DossierCounts) {
        received += other.received; online += other.online; desk += other.desk; post += other.post
        waiting += other.waiting; inProgress += other.inProgress; overdue += other.overdue; refused += other.refused
        withdrawn += other.withdrawn; stopped += other.stopped; finished += other.finished
        resolved += other.resolved; early += other.early; onTime += other.onTime; late += other.late
        ratings += other.ratings; satisfied += other.satisfied
        charged += other.charged; paidOnline += other.paidOnline
    }
}
