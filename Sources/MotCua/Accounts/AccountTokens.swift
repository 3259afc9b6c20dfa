import SQLKit

/// Single-use, expiring links sent by e-mail (verify the address, reset the password).
enum AccountTokenPurpose: String, Sendable {
    case verifyEmail = "verify_email"
    case resetPassword = "reset_password"

    var lifetime: Duration {
        switch self {
        case .verifyEmail: .seconds(24 * 60 * 60)
        case .resetPassword: .seconds(60 * 60)
        }
    }
}

enum AccountTokens {
    /// Creates a token inside the caller's transaction; returns the secret for the link.
    static func issue(userID: Int64, purpose: AccountTokenPurpose, in db: any SQLDatabase) async throws -> String {
        let secret = Secrets.random()
        let now = Clock.nowMilliseconds()
        try await db.raw("""
            INSERT INTO account_tokens (token_hash, user_id, purpose, created_at, expires_at)
            VALUES (\(bind: Secrets.digest(secret)), \(bind: userID), \(bind: purpose.rawValue), \(bind: now),
                \(bind: now + purpose.lifetime.milliseconds))
            """).run()
        return secret
    }

    /// The account a still-valid token belongs to, without using it up.
    static func peek(_ secret: String, purpose: AccountTokenPurpose, in db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("""
            SELECT user_id FROM account_tokens
            WHERE token_hash = \(bind: Secrets.digest(secret)) AND purpose = \(bind: purpose.rawValue)
              AND used_at IS NULL AND expires_at > \(bind: Clock.nowMilliseconds())
            """).first()?.decode(column: "user_id", as: Int64.self)
    }

    /// Uses a token up inside the caller's transaction; nil when unknown, used or expired. One conditional
    /// UPDATE decides: of two simultaneous uses of one link, only the one whose UPDATE changed the row gets
    /// the account.
    static func consume(_ secret: String, purpose: AccountTokenPurpose, in db: any SQLDatabase) async throws -> Int64? {
        let now = Clock.nowMilliseconds()
        return try await db.raw("""
            UPDATE account_tokens SET used_at = \(bind: now)
            WHERE token_hash = \(bind: Secrets.digest(secret)) AND purpose = \(bind: purpose.rawValue)
              AND used_at IS NULL AND expires_at > \(bind: now)
            RETURNING user_id
            """).first()?.decode(column: "user_id", as: Int64.self)
    }
}
