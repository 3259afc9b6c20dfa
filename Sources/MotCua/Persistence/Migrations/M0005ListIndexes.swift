/// Indexes that make every dossier list an index range scan in its own order, on both engines (SQLite
/// appends the rowid to every index by itself, PostgreSQL does not, so `id` is named): the applicant's list
/// newest first, with and without a status filter, and an agency's queue by submission, with and without a
/// status filter. The indexes they replace led with the same columns and are dropped.
enum M0005ListIndexes {
    static let migration = Migration(version: 5, name: "list indexes") { _ in
        [
            "CREATE INDEX dossiers_applicant_recent ON dossiers (applicant_id, id)",
            "CREATE INDEX dossiers_applicant_status_recent ON dossiers (applicant_id, status, id)",
            "CREATE INDEX dossiers_agency_queue ON dossiers (agency_id, submitted_at, id)",
            "CREATE INDEX dossiers_agency_status_queue ON dossiers (agency_id, status, submitted_at, id)",
            "DROP INDEX dossiers_applicant",
            "DROP INDEX dossiers_agency",
            "DROP INDEX dossiers_agency_submitted",
        ]
    }
}
