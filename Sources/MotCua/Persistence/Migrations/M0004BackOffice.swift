/// The back office: result files beside the applicant's files, the milestones of a dossier (accepted,
/// finished, returned) for deadlines and statistics, and the days off and make-up working days that
/// administrators add to the statutory calendar.
enum M0004BackOffice {
    static let migration = Migration(version: 4, name: "back office") { t in
        [
            "ALTER TABLE dossier_attachments ADD COLUMN kind TEXT NOT NULL DEFAULT 'applicant' CHECK (kind IN ('applicant', 'result'))",
            "ALTER TABLE dossiers ADD COLUMN accepted_at \(t.bigint)",
            "ALTER TABLE dossiers ADD COLUMN finished_at \(t.bigint)",
            "ALTER TABLE dossiers ADD COLUMN returned_at \(t.bigint)",
            // The desk's latest request or reason, shown to the applicant until the next step.
            "ALTER TABLE dossiers ADD COLUMN desk_note TEXT NOT NULL DEFAULT ''",
            "CREATE INDEX dossiers_agency_submitted ON dossiers (agency_id, submitted_at)",
            // The draft cleanup and the file store sweep: stale drafts, and who still refers to a file.
            "CREATE INDEX dossiers_status_updated ON dossiers (status, updated_at)",
            "CREATE INDEX dossier_attachments_sha256 ON dossier_attachments (sha256)",
            """
            CREATE TABLE calendar_overrides (
                day TEXT PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('off', 'work')),
                note TEXT NOT NULL DEFAULT ''
            )
            """,
        ]
    }
}
