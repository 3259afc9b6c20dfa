import Foundation
import SQLKit

/// Dossier counts of one period, for the whole installation or one agency, and the satisfaction ratings given in it.
///
/// Two aggregate queries, each a range scan of one covering index (M0020): dossiers received in the period
/// (by the moment they were submitted: online, at the desk or by post), grouped by procedure, channel,
/// current status and whether an open dossier is past its appointment; and dossiers resolved in the period
/// (by the moment the result was ready), grouped by procedure and by how that moment compares with the
/// appointment, as the control slip judges a step (`StepOutcome.judge`: a day before the due day is early).
struct StatisticsStore: Sendable {
    let database: any Database

    /// Vietnam is UTC+7 all year: a Vietnam day is (instant + 7 h) / 24 h in whole days.
    private static let utcOffset: Int64 = 7 * 3_600_000
    private static let dayLength: Int64 = 86_400_000

    func counts(agencyCode: String?, from start: Int64, before end: Int64, now: Int64) async throws -> PeriodCounts {
        try await database.read { db in
            var result = PeriodCounts()
            var received: SQLQueryString = """
                SELECT procedure_id, channel, status,
                    CASE WHEN status IN (2, 4, 6) AND due_at < \(bind: now) THEN 1 ELSE 0 END AS overdue,
                    COUNT(*) AS n
                FROM dossiers
                WHERE submitted_at >= \(bind: start) AND submitted_at < \(bind: end) AND status <> 0
                """
            if let agencyCode { received += " AND agency_id = (SELECT id FROM agencies WHERE code = \(bind: agencyCode))" }
            // By position: the CASE's bound parameter would be a second, different parameter in a repeated expression.
            received += " GROUP BY 1, 2, 3, 4"
            for row in try await db.raw(received).all() {
                let procedure = try row.decode(column: "procedure_id", as: Int64.self)
                let n = try row.decode(column: "n", as: Int.self)
                let channel = DossierChannel(rawValue: try row.decode(column: "channel", as: Int.self))
                let status = DossierStatus(rawValue: try row.decode(column: "status", as: Int.self))
                let overdue = try row.decode(column: "overdue", as: Int.self) == 1
                result.add(procedure: procedure) { $0.addReceived(n, channel: channel, status: status, overdue: overdue) }
            }
            let offset = Self.utcOffset, day = Self.dayLength
            var resolved: SQLQueryString = """
                SELECT procedure_id,
                    CASE WHEN due_at IS NULL THEN 1 WHEN finished_at > due_at THEN 2
                        WHEN (finished_at + \(unsafeRaw: String(offset))) / \(unsafeRaw: String(day))
                            < (due_at + \(unsafeRaw: String(offset))) / \(unsafeRaw: String(day)) THEN 0
                        ELSE 1 END AS outcome,
                    COUNT(*) AS n
                FROM dossiers
                WHERE finished_at >= \(bind: start) AND finished_at < \(bind: end)
                """
            if let agencyCode { resolved += " AND agency_id = (SELECT id FROM agencies WHERE code = \(bind: agencyCode))" }
            resolved += " GROUP BY 1, 2"
            for row in try await db.raw(resolved).all() {
                let procedure = try row.decode(column: "procedure_id", as: Int64.self)
                let n = try row.decode(column: "n", as: Int.self)
                let outcome: StepOutcome = switch try row.decode(column: "outcome", as: Int.self) {
                case 0: .early
                case 2: .late
                default: .onTime
                }
                result.add(procedure: procedure) { $0.addResolved(n, outcome: outcome) }
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
            return result
        }
    }

    /// The internal id of an agency, or nil when the catalog does not have it.
    func agencyExists(code: String) async throws -> Bool {
        try await database.read { db in
            try await db.raw("SELECT id FROM agencies WHERE code = \(bind: code)").first() != nil
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

    var earlyOrOnTime: Int { early + onTime }

    mutating func addReceived(_ n: Int, channel: DossierChannel?, status: DossierStatus?, overdue isOverdue: Bool) {
        received += n
        switch channel {
        case .online: online += n
        case .desk: desk += n
        case .post: post += n
        case nil: break
        }
        switch status {
        case .registered: waiting += n
        case .accepted, .processing, .supplementRequested, .feeRequested:
            inProgress += n
            if isOverdue { overdue += n }
        case .refused: refused += n
        case .withdrawn: withdrawn += n
        case .stopped: stopped += n
        case .finished, .returned: finished += n
        case .draft, nil: break
        }
    }

    mutating func addResolved(_ n: Int, outcome: StepOutcome) {
        resolved += n
        switch outcome {
        case .early: early += n
        case .onTime: onTime += n
        case .late: late += n
        }
    }
}
