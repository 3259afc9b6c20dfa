/// Counters of the agency-wide work lists, whose counts the back office's tabs show on every page: dossiers
/// by agency, status and due state.
///
/// Counting them from the dossiers was twice the cost of reading the page's 50 rows on SQLite (6 700 index
/// entries for one agency's "Chờ tiếp nhận" in bench/issue16.sh) and 2.7 ms of execution per page on
/// PostgreSQL. As M0020's day counters, triggers on `dossiers` take a row's old contribution away and add its
/// new one in the same transaction as every insert, change of agency, status or due state, and deletion,
/// whatever code path writes it; the update trigger fires only when one of them really changes. Each
/// (agency, status, due state) is spread over `shards` rows by the dossier's id, so two transactions of one
/// agency (a submission and an acceptance) rarely wait on the same counter row on PostgreSQL; a count sums
/// at most `shards` rows.
enum M0025QueueCounts {
    static let shards = 8

    static let migration = Migration(version: 25, name: "agency work-list counters") { t in
        var statements = [
            """
            CREATE TABLE dossier_queue_counts (
                agency_id \(t.bigint) NOT NULL,
                status INTEGER NOT NULL,
                due_state INTEGER NOT NULL,
                shard INTEGER NOT NULL,
                n \(t.bigint) NOT NULL,
                PRIMARY KEY (agency_id, status, due_state, shard)
            )
            """,
            """
            INSERT INTO dossier_queue_counts (agency_id, status, due_state, shard, n)
            SELECT agency_id, status, due_state, id % \(shards), COUNT(*) FROM dossiers GROUP BY agency_id, status, due_state, id % \(shards)
            """,
        ]
        let watched = "agency_id, status, due_state"
        let changed = "OLD.agency_id <> NEW.agency_id OR OLD.status <> NEW.status OR OLD.due_state <> NEW.due_state"
        switch t.engine {
        case .sqlite:
            statements += [
                "CREATE TRIGGER dossier_queue_counts_insert AFTER INSERT ON dossiers BEGIN\n\(change("NEW", 1));\nEND",
                """
                CREATE TRIGGER dossier_queue_counts_update AFTER UPDATE OF \(watched) ON dossiers WHEN \(changed) BEGIN
                \(change("OLD", -1));
                \(change("NEW", 1));
                END
                """,
                "CREATE TRIGGER dossier_queue_counts_delete AFTER DELETE ON dossiers BEGIN\n\(change("OLD", -1));\nEND",
            ]
        case .postgres:
            statements += [
                """
                CREATE FUNCTION dossier_queue_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP <> 'INSERT' THEN
                        \(change("OLD", -1));
                    END IF;
                    IF TG_OP <> 'DELETE' THEN
                        \(change("NEW", 1));
                    END IF;
                    RETURN NULL;
                END
                $$
                """,
                """
                CREATE TRIGGER dossier_queue_counts_insert_delete AFTER INSERT OR DELETE ON dossiers
                FOR EACH ROW EXECUTE FUNCTION dossier_queue_counts_apply()
                """,
                """
                CREATE TRIGGER dossier_queue_counts_update AFTER UPDATE OF \(watched) ON dossiers
                FOR EACH ROW WHEN (\(changed)) EXECUTE FUNCTION dossier_queue_counts_apply()
                """,
            ]
        }
        return statements
    }

    /// The upsert of one row's contribution (`sign` 1 adds it, -1 takes it away), for a trigger body.
    private static func change(_ r: String, _ sign: Int) -> String {
        """
        INSERT INTO dossier_queue_counts (agency_id, status, due_state, shard, n)
        VALUES (\(r).agency_id, \(r).status, \(r).due_state, \(r).id % \(shards), \(sign))
        ON CONFLICT (agency_id, status, due_state, shard) DO UPDATE SET n = dossier_queue_counts.n + excluded.n
        """
    }
}
