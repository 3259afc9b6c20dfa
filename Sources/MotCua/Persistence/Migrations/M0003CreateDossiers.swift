/// Dossiers (hồ sơ), their attached files, their history, and the per-agency daily code sequences.
enum M0003CreateDossiers {
    static let migration = Migration(version: 3, name: "create dossiers") { t in
        [
            """
            CREATE TABLE dossiers (
                id \(t.identityPrimaryKey),
                code \(t.binaryText) UNIQUE,
                procedure_id \(t.bigint) NOT NULL REFERENCES procedures(id),
                agency_id \(t.bigint) NOT NULL REFERENCES agencies(id),
                applicant_id \(t.bigint) NOT NULL REFERENCES users(id),
                status INTEGER NOT NULL CHECK (status BETWEEN 0 AND 10),
                channel INTEGER NOT NULL CHECK (channel BETWEEN 1 AND 3),
                request_summary TEXT NOT NULL DEFAULT '',
                form_values TEXT NOT NULL DEFAULT '{}',
                delivery_method TEXT CHECK (delivery_method IN ('online', 'desk', 'post')),
                delivery_address TEXT,
                submit_key TEXT,
                created_at \(t.bigint) NOT NULL,
                updated_at \(t.bigint) NOT NULL,
                submitted_at \(t.bigint),
                due_at \(t.bigint),
                UNIQUE (applicant_id, submit_key)
            )
            """,
            "CREATE INDEX dossiers_applicant ON dossiers (applicant_id, status)",
            "CREATE INDEX dossiers_agency ON dossiers (agency_id, status)",
            """
            CREATE TABLE dossier_attachments (
                id \(t.identityPrimaryKey),
                dossier_id \(t.bigint) NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
                document_position INTEGER NOT NULL,
                sha256 \(t.binaryText) NOT NULL,
                size_bytes \(t.bigint) NOT NULL,
                content_type TEXT NOT NULL,
                display_name TEXT NOT NULL,
                created_at \(t.bigint) NOT NULL
            )
            """,
            "CREATE INDEX dossier_attachments_dossier ON dossier_attachments (dossier_id)",
            """
            CREATE TABLE dossier_events (
                id \(t.identityPrimaryKey),
                dossier_id \(t.bigint) NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
                at \(t.bigint) NOT NULL,
                actor_id \(t.bigint) REFERENCES users(id),
                action TEXT NOT NULL,
                from_status INTEGER NOT NULL,
                to_status INTEGER NOT NULL,
                note TEXT NOT NULL DEFAULT ''
            )
            """,
            "CREATE INDEX dossier_events_dossier ON dossier_events (dossier_id, at)",
            // One row per agency and day; incremented inside the submitting transaction, so codes never repeat.
            """
            CREATE TABLE dossier_sequences (
                agency_id \(t.bigint) NOT NULL REFERENCES agencies(id),
                day TEXT NOT NULL,
                last_value INTEGER NOT NULL,
                PRIMARY KEY (agency_id, day)
            )
            """,
        ]
    }
}
