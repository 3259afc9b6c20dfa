/// Accounts of citizens, organizations and staff; sessions; single-use e-mail tokens; the mail outbox;
/// throttling events; API tokens. Secrets (session ids, tokens) are stored only as SHA-256 digests.
enum M0002CreateAccounts {
    static let migration = Migration(version: 2, name: "create accounts") { t in
        [
            """
            CREATE TABLE users (
                id \(t.identityPrimaryKey),
                kind TEXT NOT NULL CHECK (kind IN ('individual', 'organization', 'staff')),
                email \(t.binaryText) NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                display_name TEXT NOT NULL,
                citizen_id TEXT UNIQUE,
                date_of_birth TEXT,
                tax_code TEXT,
                representative TEXT,
                phone TEXT NOT NULL DEFAULT '',
                address TEXT NOT NULL DEFAULT '',
                role TEXT CHECK (role IN ('receptionist', 'processor', 'leader', 'agency_admin', 'system_admin')),
                agency_id \(t.bigint) REFERENCES agencies(id),
                email_verified_at \(t.bigint),
                disabled \(t.boolean) NOT NULL,
                created_at \(t.bigint) NOT NULL,
                CHECK ((kind = 'staff') = (role IS NOT NULL))
            )
            """,
            "CREATE INDEX users_agency ON users (agency_id)",
            """
            CREATE TABLE sessions (
                id_hash \(t.binaryText) PRIMARY KEY,
                user_id \(t.bigint) NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at \(t.bigint) NOT NULL,
                last_seen_at \(t.bigint) NOT NULL,
                ip TEXT NOT NULL DEFAULT '',
                user_agent TEXT NOT NULL DEFAULT ''
            )
            """,
            "CREATE INDEX sessions_user ON sessions (user_id)",
            """
            CREATE TABLE account_tokens (
                token_hash \(t.binaryText) PRIMARY KEY,
                user_id \(t.bigint) NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
                created_at \(t.bigint) NOT NULL,
                expires_at \(t.bigint) NOT NULL,
                used_at \(t.bigint)
            )
            """,
            """
            CREATE TABLE outbox (
                id \(t.identityPrimaryKey),
                recipient TEXT NOT NULL,
                subject TEXT NOT NULL,
                body_text TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at \(t.bigint) NOT NULL,
                last_error TEXT,
                created_at \(t.bigint) NOT NULL,
                sent_at \(t.bigint)
            )
            """,
            "CREATE INDEX outbox_due ON outbox (status, next_attempt_at)",
            """
            CREATE TABLE throttle_events (
                id \(t.identityPrimaryKey),
                scope TEXT NOT NULL,
                subject \(t.binaryText) NOT NULL,
                at \(t.bigint) NOT NULL
            )
            """,
            "CREATE INDEX throttle_events_subject ON throttle_events (scope, subject, at)",
            """
            CREATE TABLE api_tokens (
                id \(t.identityPrimaryKey),
                user_id \(t.bigint) NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                token_hash \(t.binaryText) NOT NULL UNIQUE,
                created_at \(t.bigint) NOT NULL,
                last_used_at \(t.bigint),
                revoked_at \(t.bigint)
            )
            """,
            "CREATE INDEX api_tokens_user ON api_tokens (user_id)",
        ]
    }
}
