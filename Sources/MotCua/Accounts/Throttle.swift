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
        try await database.read { try await Self.blockedUntil(rule, subject: subject, in: $0) }
    }

    /// The same, inside a read the caller already holds (the lookup reads the dossier in it too).
    static func blockedUntil(_ rule: Rule, subject: String, in db: any SQLDatabase) async throws -> Int64? {
        let row = try await db.raw("SELECT \(limitingEvent(rule, subject: subject)) AS at").first()
        return blockedUntil(rule, limitingEventAt: try row?.decode(column: "at", as: Int64?.self))
    }

    /// A scalar subquery: when the `limit`-th most recent event of the subject within the window happened,
    /// NULL while there are fewer. A caller reading a row of its own selects it beside (the public lookup
    /// reads the dossier and the asker's misses in one statement) and passes it to `blockedUntil(_:limitingEventAt:)`.
    static func limitingEvent(_ rule: Rule, subject: String) -> SQLQueryString {
        let since = Clock.nowMilliseconds() - rule.window.milliseconds
        return """
            (SELECT at FROM throttle_events WHERE scope = \(bind: rule.scope) AND subject = \(bind: subject)
              AND at > \(bind: since) ORDER BY at DESC LIMIT 1 OFFSET \(bind: rule.limit - 1))
            """
    }

    /// Free again once the limiting event (see `limitingEvent`) leaves the window; nil when there is none.
    static func blockedUntil(_ rule: Rule, limitingEventAt at: Int64?) -> Int64? {
        at.map { $0 + rule.window.milliseconds }
    }

    /// Decides and counts in one step: when none of `checks` is over its limit, records one event for each
    /// and returns their ids (to forget them later, e.g. after a successful login); otherwise records
    /// nothing and returns when the first blocked one frees up. On PostgreSQL an advisory lock per subject
    /// keeps concurrent attempts apart; on SQLite the single writer does.
    func attempt(_ checks: [(rule: Rule, subject: String)]) async throws -> Attempt {
        let engine = database.engine
        return try await database.transaction { db in
            let now = Clock.nowMilliseconds()
            if engine == .postgres {
                for key in Set(checks.map { "\($0.rule.scope):\($0.subject)" }).sorted() {
                    _ = try await db.raw("SELECT pg_advisory_xact_lock(hashtextextended(\(bind: key), 0)) AS locked").first()
                }
            }
            for (rule, subject) in checks {
                let since = now - rule.window.milliseconds
                let recent = try await db.raw("""
                    SELECT at FROM throttle_events WHERE scope = \(bind: rule.scope) AND subject = \(bind: subject)
                      AND at > \(bind: since) ORDER BY at DESC LIMIT \(bind: rule.limit)
                    """).all().map { try $0.decode(column: "at", as: Int64.self) }
                if recent.count >= rule.limit { return .blocked(until: recent[rule.limit - 1] + rule.window.milliseconds) }
            }
            var ids: [Int64] = []
            for (rule, subject) in checks {
                guard let row = try await db.raw("""
                    INSERT INTO throttle_events (scope, subject, at) VALUES (\(bind: rule.scope), \(bind: subject), \(bind: now))
                    RETURNING id
                    """).first()
                else { throw ThrottleError.notRecorded }
                ids.append(try row.decode(column: "id", as: Int64.self))
            }
            return .allowed(eventIDs: ids)
        }
    }

    enum Attempt: Sendable, Equatable {
        case allowed(eventIDs: [Int64])
        case blocked(until: Int64)
    }

    enum ThrottleError: Error { case notRecorded }

    /// Forgets recorded events (an attempt that turned out to be legitimate).
    func forget(eventIDs: [Int64]) async throws {
        guard !eventIDs.isEmpty else { return }
        try await database.transaction { db in
            try await db.raw("DELETE FROM throttle_events WHERE id IN (\(binds: eventIDs))").run()
        }
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
