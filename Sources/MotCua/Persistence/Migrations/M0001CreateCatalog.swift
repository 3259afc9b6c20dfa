/// The public catalog: agencies, fields, procedures and their required documents and form templates.
/// List-valued attributes without identity of their own (fees, steps, legal basis, delivery methods,
/// dossier form fields) are JSON text; documents and templates are rows because other records point at them.
enum M0001CreateCatalog {
    static let migration = Migration(version: 1, name: "create catalog") { t in
        [
            """
            CREATE TABLE agencies (
                id \(t.identityPrimaryKey),
                code \(t.binaryText) NOT NULL UNIQUE,
                name TEXT NOT NULL,
                province TEXT NOT NULL,
                address TEXT NOT NULL DEFAULT '',
                phone TEXT NOT NULL DEFAULT '',
                email TEXT NOT NULL DEFAULT '',
                website TEXT NOT NULL DEFAULT '',
                bank_account_number TEXT,
                bank_name TEXT,
                bank_account_holder TEXT,
                updated_at \(t.bigint) NOT NULL
            )
            """,
            """
            CREATE TABLE fields (
                id \(t.identityPrimaryKey),
                code \(t.binaryText) NOT NULL UNIQUE,
                name TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE procedures (
                id \(t.identityPrimaryKey),
                agency_id \(t.bigint) NOT NULL REFERENCES agencies(id),
                field_id \(t.bigint) NOT NULL REFERENCES fields(id),
                code \(t.binaryText) NOT NULL,
                name TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                online_level TEXT NOT NULL CHECK (online_level IN ('full', 'partial')),
                legacy_level INTEGER CHECK (legacy_level BETWEEN 1 AND 4),
                online_only \(t.boolean) NOT NULL,
                applicant_types TEXT NOT NULL,
                processing_days INTEGER NOT NULL CHECK (processing_days > 0),
                processing_time_note TEXT NOT NULL DEFAULT '',
                fees TEXT NOT NULL,
                steps TEXT NOT NULL,
                requirements TEXT NOT NULL DEFAULT '',
                result_name TEXT NOT NULL DEFAULT '',
                legal_basis TEXT NOT NULL,
                result_delivery TEXT NOT NULL,
                form_fields TEXT NOT NULL,
                updated_at \(t.bigint) NOT NULL,
                UNIQUE (agency_id, code)
            )
            """,
            "CREATE INDEX procedures_field ON procedures (field_id)",
            """
            CREATE TABLE required_documents (
                id \(t.identityPrimaryKey),
                procedure_id \(t.bigint) NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                name TEXT NOT NULL,
                originals INTEGER NOT NULL CHECK (originals >= 0),
                copies INTEGER NOT NULL CHECK (copies >= 0),
                mandatory \(t.boolean) NOT NULL,
                formats TEXT NOT NULL,
                UNIQUE (procedure_id, position)
            )
            """,
            """
            CREATE TABLE form_templates (
                id \(t.identityPrimaryKey),
                procedure_id \(t.bigint) NOT NULL REFERENCES procedures(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                name TEXT NOT NULL,
                file_name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                sha256 \(t.binaryText) NOT NULL,
                size_bytes \(t.bigint) NOT NULL,
                UNIQUE (procedure_id, position)
            )
            """,
            // A counter bumped by every import, so each portal process knows when to rebuild its search index.
            """
            CREATE TABLE catalog_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                version \(t.bigint) NOT NULL
            )
            """,
            "INSERT INTO catalog_state (id, version) VALUES (1, 0)",
        ]
    }
}
