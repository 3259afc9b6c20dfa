/// Fees and payments (issue 13). A charge is what a dossier owes (the procedure's fixed fees at submission, or
/// an amount the desk requests); an attempt is one try to pay it (a gateway order, a bank transfer or cash the
/// desk confirmed); a receipt (biên lai) is numbered per agency and year for each paid attempt; a refund pays a
/// receipt back. Amounts are whole đồng. At most one charge of a dossier is open at a time, and a gateway's or
/// bank's transaction number is recorded once per method, so a replayed notification or a statement imported
/// twice cannot pay twice.
enum M0015Payments {
    static let migration = Migration(version: 15, name: "payments") { t in
        [
            "ALTER TABLE agencies ADD COLUMN bank_bin TEXT",
            """
            CREATE TABLE dossier_charges (
                id \(t.identityPrimaryKey),
                dossier_id \(t.bigint) NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
                amount \(t.bigint) NOT NULL CHECK (amount > 0),
                reason TEXT NOT NULL,
                source TEXT NOT NULL CHECK (source IN ('procedure', 'desk')),
                requested_by \(t.bigint) REFERENCES users(id),
                created_at \(t.bigint) NOT NULL,
                paid_at \(t.bigint),
                cancelled_at \(t.bigint)
            )
            """,
            "CREATE INDEX dossier_charges_dossier ON dossier_charges (dossier_id, id)",
            "CREATE UNIQUE INDEX dossier_charges_open ON dossier_charges (dossier_id) WHERE paid_at IS NULL AND cancelled_at IS NULL",
            """
            CREATE TABLE payment_attempts (
                id \(t.identityPrimaryKey),
                reference \(t.binaryText) NOT NULL UNIQUE,
                charge_id \(t.bigint) NOT NULL REFERENCES dossier_charges(id) ON DELETE CASCADE,
                dossier_id \(t.bigint) NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
                method TEXT NOT NULL CHECK (method IN ('vnpay', 'national-platform', 'transfer', 'cash')),
                amount \(t.bigint) NOT NULL CHECK (amount > 0),
                state TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'failed')),
                created_at \(t.bigint) NOT NULL,
                expires_at \(t.bigint),
                settled_at \(t.bigint),
                gateway_transaction TEXT,
                bank_code TEXT,
                gateway_code TEXT,
                failure TEXT,
                payer_ip TEXT,
                recorded_by \(t.bigint) REFERENCES users(id),
                note TEXT NOT NULL DEFAULT ''
            )
            """,
            "CREATE INDEX payment_attempts_dossier ON payment_attempts (dossier_id, id)",
            "CREATE INDEX payment_attempts_pending ON payment_attempts (created_at) WHERE state = 'pending'",
            "CREATE UNIQUE INDEX payment_attempts_transaction ON payment_attempts (method, gateway_transaction) WHERE gateway_transaction IS NOT NULL",
            """
            CREATE TABLE payment_receipt_sequences (
                agency_id \(t.bigint) NOT NULL REFERENCES agencies(id),
                year INTEGER NOT NULL,
                last_value INTEGER NOT NULL,
                PRIMARY KEY (agency_id, year)
            )
            """,
            """
            CREATE TABLE payment_receipts (
                id \(t.identityPrimaryKey),
                agency_id \(t.bigint) NOT NULL REFERENCES agencies(id),
                year INTEGER NOT NULL,
                number INTEGER NOT NULL,
                attempt_id \(t.bigint) NOT NULL UNIQUE REFERENCES payment_attempts(id) ON DELETE CASCADE,
                dossier_id \(t.bigint) NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
                amount \(t.bigint) NOT NULL CHECK (amount > 0),
                method TEXT NOT NULL,
                payer_name TEXT NOT NULL,
                description TEXT NOT NULL,
                issued_at \(t.bigint) NOT NULL,
                collected_by \(t.bigint) REFERENCES users(id),
                sha256 \(t.binaryText),
                size_bytes \(t.bigint),
                UNIQUE (agency_id, year, number)
            )
            """,
            "CREATE INDEX payment_receipts_dossier ON payment_receipts (dossier_id, id)",
            "CREATE INDEX payment_receipts_sha256 ON payment_receipts (sha256)",
            """
            CREATE TABLE payment_refunds (
                id \(t.identityPrimaryKey),
                receipt_id \(t.bigint) NOT NULL UNIQUE REFERENCES payment_receipts(id) ON DELETE CASCADE,
                dossier_id \(t.bigint) NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
                amount \(t.bigint) NOT NULL CHECK (amount > 0),
                method TEXT NOT NULL CHECK (method IN ('transfer', 'cash', 'gateway')),
                reference TEXT NOT NULL DEFAULT '',
                reason TEXT NOT NULL,
                decided_by \(t.bigint) NOT NULL REFERENCES users(id),
                created_at \(t.bigint) NOT NULL
            )
            """,
            "CREATE INDEX payment_refunds_dossier ON payment_refunds (dossier_id)",
        ]
    }
}
