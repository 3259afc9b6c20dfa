/// Questions and feedback (hỏi đáp, góp ý): anyone asks an agency, about one of its procedures or in general;
/// the agency's staff answer; an answered question may be published as a frequently asked question on its
/// procedure's page. The asker's address is kept only as a digest (`client_hash`), enough to see that many
/// questions came from one place without keeping where. Status 0 is "not answered yet", 1 "answered": the staff
/// list reads unanswered first by the index on (agency, status, time); the procedure page reads its published
/// ones by the partial index on (procedure, published time).
enum M0022Questions {
    static let migration = Migration(version: 22, name: "questions and feedback") { t in
        [
            """
            CREATE TABLE questions (
                id \(t.identityPrimaryKey),
                agency_id \(t.bigint) NOT NULL REFERENCES agencies(id),
                procedure_id \(t.bigint) REFERENCES procedures(id),
                asker_name TEXT NOT NULL,
                asker_email TEXT NOT NULL DEFAULT '',
                asker_phone TEXT NOT NULL DEFAULT '',
                asker_id \(t.bigint) REFERENCES users(id),
                subject TEXT NOT NULL DEFAULT '',
                body TEXT NOT NULL,
                asked_at \(t.bigint) NOT NULL,
                client_hash TEXT NOT NULL,
                status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1)),
                answer TEXT NOT NULL DEFAULT '',
                answered_by \(t.bigint) REFERENCES users(id),
                answered_at \(t.bigint),
                published_at \(t.bigint),
                CHECK ((status = 0) = (answered_at IS NULL)),
                CHECK (published_at IS NULL OR status = 1)
            )
            """,
            "CREATE INDEX questions_agency ON questions (agency_id, status, asked_at, id)",
            "CREATE INDEX questions_faq ON questions (procedure_id, published_at) WHERE published_at IS NOT NULL",
        ]
    }
}
