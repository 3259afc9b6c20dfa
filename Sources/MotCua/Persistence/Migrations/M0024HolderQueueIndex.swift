/// A person's work lists read (holder_user_id, step_due_at, id) for `holder_user_id = ?`, and a unit's
/// unassigned steps read M0006's `dossiers_unit_pool`, partial on `holder_user_id IS NULL`. SQLite plans
/// without statistics, and for a unit head's list (`holder_unit_id IN (…) AND holder_user_id IS NULL`) it
/// took the person index on `holder_user_id IS NULL`: every dossier nobody holds, a million in bench/issue11.sh,
/// ten seconds a page. Made partial on `holder_user_id IS NOT NULL`, the person index holds only the dossiers
/// someone holds (a `holder_user_id = ?` test implies that, on both engines) and can no longer be taken for
/// the unassigned ones.
enum M0024HolderQueueIndex {
    static let migration = Migration(version: 24, name: "the person's work-list index holds only held dossiers") { _ in
        [
            "DROP INDEX dossiers_holder_queue",
            "CREATE INDEX dossiers_holder_queue ON dossiers (holder_user_id, step_due_at, id) WHERE holder_user_id IS NOT NULL",
        ]
    }
}
