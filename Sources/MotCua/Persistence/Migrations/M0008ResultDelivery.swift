/// How the result reached the applicant (issue 12): collected at the desk (who, with which ID checked), sent
/// by public post (tracking number, day sent) or online. A dossier becomes "returned" only with this record.
/// Also the tracking book's index.
enum M0008ResultDelivery {
    static let migration = Migration(version: 8, name: "result delivery") { t in
        [
            """
            CREATE TABLE dossier_deliveries (
                dossier_id \(t.bigint) PRIMARY KEY REFERENCES dossiers(id) ON DELETE CASCADE,
                method TEXT NOT NULL CHECK (method IN ('online', 'desk', 'post')),
                collector_name TEXT,
                collector_id_number TEXT,
                tracking_number TEXT,
                sent_on TEXT,
                recorded_at \(t.bigint) NOT NULL,
                recorded_by \(t.bigint) REFERENCES users(id)
            )
            """,
            // The tracking book (mẫu 06): an agency's dossiers by the moment they were received.
            "CREATE INDEX dossiers_agency_accepted ON dossiers (agency_id, accepted_at)",
        ]
    }
}
