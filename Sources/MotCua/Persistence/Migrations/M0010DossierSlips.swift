/// The standard slips (mẫu 01–05) issued to a dossier as PDF files at the moment of their step, kept as they
/// were issued (the file store names them by content): the form, its number, the layout version.
enum M0010DossierSlips {
    static let migration = Migration(version: 10, name: "dossier slips") { t in
        [
            """
            CREATE TABLE dossier_slips (
                id \(t.identityPrimaryKey),
                dossier_id \(t.bigint) NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
                form TEXT NOT NULL CHECK (form IN ('01', '02', '03', '04', '05')),
                number TEXT NOT NULL,
                sha256 \(t.binaryText) NOT NULL,
                size_bytes \(t.bigint) NOT NULL,
                layout_version TEXT NOT NULL,
                created_at \(t.bigint) NOT NULL
            )
            """,
            "CREATE INDEX dossier_slips_dossier ON dossier_slips (dossier_id, id)",
            "CREATE INDEX dossier_slips_sha256 ON dossier_slips (sha256)",
        ]
    }
}
