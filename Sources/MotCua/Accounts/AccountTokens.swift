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

    /// Uses a token up inside the caller's transaction; nil when unknown, used or expired.
    static func consume(_ secret: String, purpose: AccountTokenPurpose, in db: any SQLDatabase) async throws -> Int64? {
        guard let userID = try await peek(secret, purpose: purpose, in: db) else { return nil }
        try await db.raw("""
            UPDATE account_tokens SET used_at = \(bind: Clock.nowMilliseconds())
            WHERE token_hash = \(bind: Secrets.digest(secret)) AND used_at IS NULL
            """).run()
        return userID
    }
}

/// Counts recent events per subject (an account, an IP address) to slow down guessing and mail floods.
/// Kept in the database so that every portal process sees the same counts.
struct Throttle: Sendable {
    let database: any Database

    struct Rule: Sendable {
        var scope: String
        var limit: Int
        var window: Duration
    }

    static let loginPerAccount = Rule(scope: "login-account", limit: 5, window: .seconds(15 * 60))
    static let loginPerIP = Rule(scope: "login-ip", limit: 30, window: .seconds(15 * 60))
    static let resendVerification = Rule(scope: "resend-verification", limit: 3, window: .seconds(60 * 60))
    static let passwordReset = Rule(scope: "password-reset", limit: 3, window: .seconds(60 * 60))

    /// When the subject may try again, or nil when it may now.
    func blockedUntil(_ rule: Rule, subject: String) async throws -> Int64? {
        let since = Clock.nowMilliseconds() - rule.window.milliseconds
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT at FROM throttle_events WHERE scope = \(bind: rule.scope) AND subject = \(bind: subject)
                  AND at > \(bind: since) ORDER BY at DESC
                """).all().map { try $0.decode(column: "at", as: Int64.self) }
        }
        guard rows.count >= rule.limit else { return nil }
        // Free again once the oldest event that still counts leaves the window.
        return rows[rule.limit - 1] + rule.window.milliseconds
    }

    func record(_ rule: Rule, subject: String) async throws {
        try await database.transaction { db in
            try await db.raw("""
                INSERT INTO throttle_events (scope, subject, at)
                VALUES (\(bind: rule.scope), \(bind: subject), \(bind: Clock.nowMilliseconds()))
                """).run()
        }
    }

    func clear(_ rule: Rule, subject: String) async throws {
        try await database.transaction { db in
            try await db.raw("DELETE FROM throttle_events WHERE scope = \(bind: rule.scope) AND subject = \(bind: subject)").run()
        }
    }
}
