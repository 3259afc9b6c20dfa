/// The due sweep's indexes lead with the status and the due state, so the sweep reads only open dossiers not
/// yet in the state it sets (closed dossiers keep their old due moments forever) and no queue mistakes them
/// for a better path than its own index (M0006's (status, due) indexes drew the "to assign" list away from
/// the unit's index). A unit's unassigned steps get a partial index: PostgreSQL does not take `IS NULL` as
/// an equality, so with the person in the index it sorted the list instead of reading it in order.
enum M0007SweepIndexes {
    static let migration = Migration(version: 7, name: "due sweep and unit pool indexes") { _ in
        [
            "DROP INDEX dossiers_status_due",
            "DROP INDEX dossiers_status_step_due",
            "CREATE INDEX dossiers_sweep_due ON dossiers (status, due_state, due_at)",
            "CREATE INDEX dossiers_sweep_step_due ON dossiers (status, step_due_state, step_due_at)",
            "DROP INDEX dossiers_unit_queue",
            "CREATE INDEX dossiers_unit_pool ON dossiers (holder_unit_id, step_due_at, id) WHERE holder_user_id IS NULL",
        ]
    }
}
