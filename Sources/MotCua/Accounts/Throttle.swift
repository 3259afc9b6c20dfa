import Foundation
import SQLKit

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
