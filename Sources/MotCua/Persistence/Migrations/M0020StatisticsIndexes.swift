/// Statistics counters: one row per Vietnam day, agency and procedure with the dossiers received that day (by
/// channel, and by where they are now) and the dossiers resolved that day (early, on time, late).
///
/// Counting a year of a million dossiers with GROUP BY took 1.3 s on SQLite even from covering indexes (the
/// grouping, not the reading, is the cost), so the counts are kept as they change instead: triggers on
/// `dossiers` take a row's old contribution away and add its new one in the same transaction as every insert,
/// status change, milestone or deletion, whatever code path writes it. A year is then ~365 rows per procedure.
/// "Overdue" depends on the clock, so it is counted from the open dossiers themselves, through the due sweep's
/// index (status, due_state, due_at); an index of its own drew PostgreSQL's agency lists away from theirs.
enum M0020StatisticsIndexes {
    static let migration = Migration(version: 20, name: "statistics day counters") { t in
        var statements = [
            """
            CREATE TABLE dossier_day_counts (
                day INTEGER NOT NULL,
                agency_id \(t.bigint) NOT NULL,
                procedure_id \(t.bigint) NOT NULL,
                \(StatisticsCounters.columns.map { "\($0) INTEGER NOT NULL DEFAULT 0" }.joined(separator: ",\n    ")),
                PRIMARY KEY (day, agency_id, procedure_id)
            )
            """,
            // Received contributions of the dossiers already there, then their resolved ones.
            """
            INSERT INTO dossier_day_counts (day, agency_id, procedure_id, \(StatisticsCounters.columns.joined(separator: ", ")))
            SELECT \(StatisticsCounters.receivedDay("d")), d.agency_id, d.procedure_id,
                \(StatisticsCounters.received("d", sign: 1).map { "SUM(\($0))" }.joined(separator: ", "))
            FROM dossiers d WHERE \(StatisticsCounters.receivedCondition("d")) GROUP BY 1, 2, 3
            """,
            """
            INSERT INTO dossier_day_counts (day, agency_id, procedure_id, \(StatisticsCounters.columns.joined(separator: ", ")))
            SELECT \(StatisticsCounters.resolvedDay("d")), d.agency_id, d.procedure_id,
                \(StatisticsCounters.resolved("d", sign: 1).map { "SUM(\($0))" }.joined(separator: ", "))
            FROM dossiers d WHERE \(StatisticsCounters.resolvedCondition("d")) GROUP BY 1, 2, 3
            \(StatisticsCounters.onConflict)
            """,
        ]
        let watched = "status, channel, submitted_at, finished_at, due_at, agency_id, procedure_id"
        switch t.engine {
        case .sqlite:
            let add = StatisticsCounters.changes("NEW", sign: 1).joined(separator: ";\n")
            let remove = StatisticsCounters.changes("OLD", sign: -1).joined(separator: ";\n")
            statements += [
                "CREATE TRIGGER dossier_day_counts_insert AFTER INSERT ON dossiers BEGIN\n\(add);\nEND",
                "CREATE TRIGGER dossier_day_counts_update AFTER UPDATE OF \(watched) ON dossiers BEGIN\n\(remove);\n\(add);\nEND",
                "CREATE TRIGGER dossier_day_counts_delete AFTER DELETE ON dossiers BEGIN\n\(remove);\nEND",
            ]
        case .postgres:
            statements += [
                """
                CREATE FUNCTION dossier_day_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP <> 'INSERT' THEN
                        \(StatisticsCounters.changes("OLD", sign: -1).joined(separator: ";\n"));
                    END IF;
                    IF TG_OP <> 'DELETE' THEN
                        \(StatisticsCounters.changes("NEW", sign: 1).joined(separator: ";\n"));
                    END IF;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER dossier_day_counts_change AFTER INSERT OR DELETE OR UPDATE OF \(watched) ON dossiers
                FOR EACH ROW EXECUTE FUNCTION dossier_day_counts_apply()
                """,
            ]
        }
        return statements
    }
}

/// The SQL of a dossier row's contribution to the day counters, shared by the triggers and the back-fill so
/// they cannot disagree. It sits beside the migration because it is part of version 20: a later change of the
/// counters is a new migration that replaces the triggers, never an edit here. Days are Vietnam days (UTC+7 all year); early/on time/late as `StepOutcome.judge`.
enum StatisticsCounters {
    static let columns = ["online", "desk", "post", "waiting", "in_progress", "refused", "withdrawn", "stopped", "finished",
                          "early", "on_time", "late"]
    private static let offset = "25200000", dayLength = "86400000"

    static func receivedDay(_ r: String) -> String { "(\(r).submitted_at + \(offset)) / \(dayLength)" }
    static func resolvedDay(_ r: String) -> String { "(\(r).finished_at + \(offset)) / \(dayLength)" }
    static func receivedCondition(_ r: String) -> String { "\(r).submitted_at IS NOT NULL AND \(r).status <> 0" }
    static func resolvedCondition(_ r: String) -> String { "\(r).finished_at IS NOT NULL" }

    private static func when(_ condition: String, _ sign: Int) -> String { "CASE WHEN \(condition) THEN \(sign) ELSE 0 END" }

    /// The values of `columns` a received dossier adds (sign 1) or takes away (sign -1).
    static func received(_ r: String, sign: Int) -> [String] {
        [
            when("\(r).channel = 2", sign), when("\(r).channel = 1", sign), when("\(r).channel = 3", sign),
            when("\(r).status = 1", sign), when("\(r).status IN (2, 4, 5, 6)", sign), when("\(r).status = 3", sign),
            when("\(r).status = 7", sign), when("\(r).status = 8", sign), when("\(r).status IN (9, 10)", sign),
            "0", "0", "0",
        ]
    }

    static func resolved(_ r: String, sign: Int) -> [String] {
        let late = "\(r).due_at IS NOT NULL AND \(r).finished_at > \(r).due_at"
        let early = "\(r).due_at IS NOT NULL AND \(r).finished_at <= \(r).due_at AND "
            + "(\(r).finished_at + \(offset)) / \(dayLength) < (\(r).due_at + \(offset)) / \(dayLength)"
        return Array(repeating: "0", count: 9) + [when(early, sign), when("NOT (\(late)) AND NOT (\(early))", sign), when(late, sign)]
    }

    static var onConflict: String {
        "ON CONFLICT (day, agency_id, procedure_id) DO UPDATE SET "
            + columns.map { "\($0) = dossier_day_counts.\($0) + excluded.\($0)" }.joined(separator: ", ")
    }

    /// The two upserts of one row's contribution (received day, resolved day), for a trigger body.
    static func changes(_ r: String, sign: Int) -> [String] {
        let names = columns.joined(separator: ", ")
        return [
            """
            INSERT INTO dossier_day_counts (day, agency_id, procedure_id, \(names))
            SELECT \(receivedDay(r)), \(r).agency_id, \(r).procedure_id, \(received(r, sign: sign).joined(separator: ", "))
            WHERE \(receivedCondition(r))
            \(onConflict)
            """,
            """
            INSERT INTO dossier_day_counts (day, agency_id, procedure_id, \(names))
            SELECT \(resolvedDay(r)), \(r).agency_id, \(r).procedure_id, \(resolved(r, sign: sign).joined(separator: ", "))
            WHERE \(resolvedCondition(r))
            \(onConflict)
            """,
        ]
    }
}
