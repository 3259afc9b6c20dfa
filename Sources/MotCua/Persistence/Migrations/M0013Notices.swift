/// SMS beside mail in the one outbox (same retries and claims), and the notice templates the system
/// administrator edits: every saved version is kept; the newest of a kind is the one in use.
enum M0013Notices {
    static let migration = Migration(version: 13, name: "sms and notice templates") { t in
        [
            "ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'mail' CHECK (channel IN ('mail', 'sms'))",
            """
            CREATE TABLE notice_templates (
                id \(t.identityPrimaryKey),
                kind TEXT NOT NULL,
                mail_subject TEXT NOT NULL,
                mail_body TEXT NOT NULL,
                sms_text TEXT NOT NULL,
                created_at \(t.bigint) NOT NULL,
                created_by \(t.bigint) REFERENCES users(id)
            )
            """,
            "CREATE INDEX notice_templates_kind ON notice_templates (kind, id)",
        ]
    }
}
