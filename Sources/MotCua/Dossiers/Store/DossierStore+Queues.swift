import Foundation
import SQLKit

/// The back office's work lists (`DossierQueue`) and their counts. Each list is an index range scan in its
/// own order (M0005, M0006): a person's steps on (holder_user_id, step_due_at, id), a unit's unassigned steps
/// on (holder_unit_id, step_due_at, id) where nobody holds them, the desk's and the agency's lists on
/// (agency_id[, status], COALESCE(due_at, submitted_at), id), due soon and overdue on (agency_id, due_state,
/// due_at, id). Pages continue from a keyset cursor, never an offset.
extension DossierStore {
    static let queueColumns = """
        d.id, d.code, p.name AS procedure_name, a.name AS agency_name, d.status, d.created_at, d.submitted_at, d.due_at,
        d.applicant_name, d.step_name, d.step_due_at, d.due_state, d.step_due_state, hh.display_name AS holder_name
        """

    /// The sort key of each list, as SQL, as the result column a merge of arms sorts by (`queueQuery`), and as
    /// the cursor keeps it.
    private static func sortKey(_ queue: DossierQueue) -> (sql: String, column: String, value: (DossierSummary) -> Int64?) {
        switch queue {
        case .toAssign, .mine, .toApprove: ("d.step_due_at", "step_due_at", \.stepDueAt)
        case .toReceive: ("d.submitted_at", "submitted_at", \.submittedAt)
        case .dueSoon, .overdue: ("d.due_at", "due_at", \.dueAt)
        case .toReturn, .all: ("COALESCE(d.due_at, d.submitted_at)", "COALESCE(due_at, submitted_at)", { $0.dueAt ?? $0.submittedAt })
        }
    }

    /// The viewer's agency written into the statement, not bound (and the page's `LIMIT`, see `armQuery`):
    /// agencies differ by orders of magnitude in size (249 000 of 300 000 dossiers in one, bench/issue16.sh), and
    /// PostgreSQL costs a generic plan for a bound `agency_id = $1` as for the average agency and a bound
    /// `LIMIT $n` as a tenth of the rows, so it planned the staff list again at every execution (0.33 ms of
    /// planning for 0.15 of execution, `pg_stat_statements`). Written in, each agency's first page is a
    /// statement of its own, planned once. Integers of our own, so nothing a visitor sends reaches the text.
    private static func agencyLiteral(_ viewer: QueueViewer) -> SQLQueryString {
        "\(unsafeRaw: String(viewer.agencyID ?? -1))"
    }

    private static func scope(_ queue: DossierQueue, _ viewer: QueueViewer) -> SQLQueryString {
        let agency: SQLQueryString = "d.agency_id = " + agencyLiteral(viewer)
        let open = [DossierStatus.accepted.rawValue, DossierStatus.processing.rawValue]
        // A person's and a unit's lists write their status test as `+d.status`: the unary plus keeps SQLite
        // (no statistics) from taking the due sweep's (status, step_due_at) index for them, which walks every
        // dossier in processing of every agency (9 500 of 1 000 000 in bench/issue11.sh: the processor's
        // counts took 200 ms); the holder and unit indexes then answer in under 2 ms. PostgreSQL plans by its
        // statistics either way.
        switch queue {
        case .toReceive:
            return agency + " AND d.status = \(bind: DossierStatus.registered.rawValue)"
        case .toAssign:
            // The units the viewer heads, read in the same statement (one round trip less per list).
            return "d.holder_unit_id IN (SELECT id FROM units WHERE head_user_id = \(bind: viewer.userID)) AND d.holder_user_id IS NULL AND +d.status = \(bind: DossierStatus.processing.rawValue)"
                + " AND d.step_role <> 'receptionist'"
        case .mine:
            return "d.holder_user_id = \(bind: viewer.userID) AND +d.status IN (\(binds: open)) AND d.step_role <> 'leader'"
        case .toApprove:
            let arms = approvalArms(viewer)
            return "((" + arms.mine + ") OR (" + arms.unit + "))"
        case .toReturn:
            return agency + " AND d.status = \(bind: DossierStatus.finished.rawValue)"
        case .dueSoon:
            return agency + " AND d.due_state = \(bind: DueState.dueSoon.rawValue)"
        case .overdue:
            return agency + " AND d.due_state = \(bind: DueState.overdue.rawValue)"
        case .all:
            return agency + " AND d.status <> \(bind: DossierStatus.draft.rawValue)"
        }
    }

    /// One page of `queue` for `viewer`, filtered (the agency's whole list) and continued from `cursor`.
    func queue(_ queue: DossierQueue, for viewer: QueueViewer, filter: DossierFilter = .init(), after cursor: DossierCursor? = nil,
               limit: Int) async throws -> DossierListPage {
        let query = Self.queueQuery(queue, for: viewer, filter: filter, after: cursor, limit: limit)
        return try Self.listPage(of: queue, try await database.read { db in try await db.raw(query).all() }, limit: limit)
    }

    /// How many dossiers each of `queues` holds for `viewer`, in one round trip.
    func counts(_ queues: [DossierQueue], for viewer: QueueViewer) async throws -> [DossierQueue: Int] {
        guard let query = Self.countsQuery(queues, for: viewer) else { return [:] }
        return try Self.counts(queues, from: try await database.read { db in try await db.raw(query).first() })
    }

    /// A page of `queue` and the counts of `queues` (the work list's tabs), in one read.
    func queue(_ queue: DossierQueue, counting queues: [DossierQueue], for viewer: QueueViewer, filter: DossierFilter,
               after cursor: DossierCursor?, limit: Int) async throws -> (page: DossierListPage, counts: [DossierQueue: Int]) {
        let list = Self.queueQuery(queue, for: viewer, filter: filter, after: cursor, limit: limit)
        let count = Self.countsQuery(queues, for: viewer)
        let (rows, countRow) = try await database.readSeveral { db -> ([any SQLRow], (any SQLRow)?) in
            let rows = try await db.raw(list).all()
            guard let count else { return (rows, nil) }
            return (rows, try await db.raw(count).first())
        }
        return (try Self.listPage(of: queue, rows, limit: limit), try Self.counts(queues, from: countRow))
    }

    private static func queueQuery(_ queue: DossierQueue, for viewer: QueueViewer, filter: DossierFilter, after cursor: DossierCursor?,
                                   limit: Int) -> SQLQueryString {
        let arms = scopeArms(queue, viewer)
        guard arms.count > 1 else { return armQuery(queue, scope: arms[0], filter: filter, after: cursor, limit: limit) }
        // Each arm in its own index order, at most one page each, merged: SQLite's plan for the OR read every
        // dossier of both (a leader's 336: 0.8 ms with the sort, half the page's CPU) before taking 51.
        var query: SQLQueryString = "SELECT * FROM ("
        for (index, arm) in arms.enumerated() {
            if index > 0 { query += ") AS \(unsafeRaw: "arm\(index - 1)") UNION ALL SELECT * FROM (" }
            query += armQuery(queue, scope: arm, filter: filter, after: cursor, limit: limit)
        }
        query += ") AS \(unsafeRaw: "arm\(arms.count - 1)") ORDER BY \(unsafeRaw: sortKey(queue).column), id LIMIT \(unsafeRaw: String(limit + 1))"
        return query
    }

    /// `queue`'s scope as the disjoint parts whose union it is, each an index range scan in the list's order.
    private static func scopeArms(_ queue: DossierQueue, _ viewer: QueueViewer) -> [SQLQueryString] {
        guard queue == .toApprove else { return [scope(queue, viewer)] }
        let arms = approvalArms(viewer)
        return [arms.mine, arms.unit]
    }

    /// A leader's approvals: the steps they hold, and their unit's that nobody holds yet.
    private static func approvalArms(_ viewer: QueueViewer) -> (mine: SQLQueryString, unit: SQLQueryString) {
        let rest: SQLQueryString = " AND +d.status = \(bind: DossierStatus.processing.rawValue) AND d.step_role = 'leader'"
        return ("d.holder_user_id = \(bind: viewer.userID)" + rest,
                "d.holder_user_id IS NULL AND d.holder_unit_id = \(bind: viewer.unitID ?? -1)" + rest)
    }

    private static func armQuery(_ queue: DossierQueue, scope: SQLQueryString, filter: DossierFilter, after cursor: DossierCursor?,
                                 limit: Int) -> SQLQueryString {
        let key = sortKey(queue)
        // The literal's last line break is not part of it: the space before the scope keeps it apart from WHERE.
        var query: SQLQueryString = """
            SELECT \(unsafeRaw: queueColumns) \(unsafeRaw: joins) LEFT JOIN users hh ON hh.id = d.holder_user_id
            WHERE
            """
        query += " " + scope
        query += conditions(filter) + searchConditions(filter)
        // From the cursor on, and never a row without a key (NULLs sort first on SQLite, last on PostgreSQL).
        if let cursor, let value = cursor.submittedAt {
            query += " AND (\(unsafeRaw: key.sql), d.id) > (\(bind: value), \(bind: cursor.id))"
        } else {
            query += " AND \(unsafeRaw: key.sql) >= 0"
        }
        // The LIMIT written in, as the agency is (`agencyLiteral`): bound, it kept PostgreSQL on custom plans.
        query += " ORDER BY \(unsafeRaw: key.sql), d.id LIMIT \(unsafeRaw: String(limit + 1))"
        return query
    }

    private static func listPage(of queue: DossierQueue, _ rows: [any SQLRow], limit: Int) throws -> DossierListPage {
        let key = sortKey(queue)
        let (items, hasMore) = try summaries(rows, limit: limit, applicantName: true)
        let next = hasMore ? items.last.map { DossierCursor(submittedAt: key.value($0) ?? 0, id: $0.id) } : nil
        return DossierListPage(items: items, next: next)
    }

    private static func countsQuery(_ queues: [DossierQueue], for viewer: QueueViewer) -> SQLQueryString? {
        let counted = queues.filter { $0 != .all }
        guard !counted.isEmpty else { return nil }
        var query: SQLQueryString = "SELECT "
        for (index, queue) in counted.enumerated() {
            if index > 0 { query += ", " }
            query += "(" + countQuery(queue, viewer) + ") AS \(unsafeRaw: "q\(index)")"
        }
        return query
    }

    /// How many dossiers `queue` holds: the agency-wide lists from their counters (M0025), a person's and a
    /// unit's lists (a few dozen rows) from the dossiers.
    private static func countQuery(_ queue: DossierQueue, _ viewer: QueueViewer) -> SQLQueryString {
        let counter: SQLQueryString
        switch queue {
        case .toReceive: counter = "c.status = \(bind: DossierStatus.registered.rawValue)"
        case .toReturn: counter = "c.status = \(bind: DossierStatus.finished.rawValue)"
        case .dueSoon: counter = "c.due_state = \(bind: DueState.dueSoon.rawValue)"
        case .overdue: counter = "c.due_state = \(bind: DueState.overdue.rawValue)"
        case .toAssign, .mine, .toApprove, .all:
            return "SELECT COUNT(*) FROM dossiers d WHERE " + scope(queue, viewer)
        }
        // SUM is NUMERIC on PostgreSQL: cast back to a 64-bit integer.
        return "SELECT CAST(COALESCE(SUM(c.n), 0) AS BIGINT) FROM dossier_queue_counts c WHERE c.agency_id = " + agencyLiteral(viewer) + " AND "
            + counter
    }

    private static func counts(_ queues: [DossierQueue], from row: (any SQLRow)?) throws -> [DossierQueue: Int] {
        var counts: [DossierQueue: Int] = [:]
        for (index, queue) in queues.filter({ $0 != .all }).enumerated() {
            counts[queue] = try row?.decode(column: "q\(index)", as: Int.self) ?? 0
        }
        return counts
    }

    private static func searchConditions(_ filter: DossierFilter) -> SQLQueryString {
        var sql: SQLQueryString = ""
        if let number = filter.applicantIDNumber {
            sql += " AND d.applicant_id_number = \(bind: number)"
        } else if let name = filter.applicant {
            let pattern = "%" + name.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
            sql += " AND LOWER(d.applicant_name) LIKE \(bind: pattern) ESCAPE '\\'"
        }
        if let code = filter.procedureCode { sql += " AND p.code = \(bind: code)" }
        if let channel = filter.channel { sql += " AND d.channel = \(bind: channel.rawValue)" }
        if let from = filter.submittedFrom { sql += " AND d.submitted_at >= \(bind: from)" }
        if let before = filter.submittedBefore { sql += " AND d.submitted_at < \(bind: before)" }
        return sql
    }
}
