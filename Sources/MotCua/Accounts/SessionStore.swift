import Foundation
import SQLKit

/// Server-side sessions in the database, so several portal processes share them. The cookie holds a
/// random id; the table holds its SHA-256, so a leaked table opens no session.
struct SessionStore: Sendable {
    let database: any Database
    var idleTimeout: Duration = .seconds(30 * 60)
    var absoluteTimeout: Duration = .seconds(12 * 60 * 60)
    /// `last_seen_at` is written at most this often, not on every request.
    var touchInterval: Duration = .seconds(60)

    struct Info: Sendable, Equatable {
        var idHash: String
        var createdAt: Int64
        var lastSeenAt: Int64
        var ip: String
        var userAgent: String
    }

    /// Starts a session; returns the cookie value. Any previous session id of this browser is discarded by
    /// the caller, so a session id fixed before login is never the one used after it.
    func create(userID: Int64, ip: String, userAgent: String) async throws -> String {
        let secret = Secrets.random()
        let now = Clock.nowMilliseconds()
        try await database.transaction { db in
            try await db.raw("""
                INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, ip, user_agent)
                VALUES (\(bind: Secrets.digest(secret)), \(bind: userID), \(bind: now), \(bind: now), \(bind: ip),
                    \(bind: String(userAgent.prefix(300))))
                """).run()
        }
        return secret
    }

    /// The live session for a cookie value, or nil when unknown, expired (idle or absolute) or disabled.
    func load(secret: String) async throws -> (user: User, session: Info)? {
        let idHash = Secrets.digest(secret)
        // The session and its account in one round trip: every signed-in request starts here. The account's
        // key as a scalar subquery too, so that it is read by its key (see `APITokenStore.user(forToken:)`).
        let found = try await database.read { db -> (User, Info)? in
            guard let row = try await db.raw("""
                SELECT \(unsafeRaw: UserStore.columns), s.created_at AS session_created_at, s.last_seen_at, s.ip, s.user_agent
                FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN agencies a ON a.id = u.agency_id
                WHERE s.id_hash = \(bind: idHash) AND u.id = (SELECT user_id FROM sessions WHERE id_hash = \(bind: idHash))
                """).first()
            else { return nil }
            return (try UserStore.user(from: row), Info(
                idHash: idHash, createdAt: try row.decode(column: "session_created_at"),
                lastSeenAt: try row.decode(column: "last_seen_at"), ip: try row.decode(column: "ip"),
                userAgent: try row.decode(column: "user_agent")))
        }
        guard let (user, info) = found else { return nil }
        let now = Clock.nowMilliseconds()
        if now - info.lastSeenAt > idleTimeout.milliseconds || now - info.createdAt > absoluteTimeout.milliseconds {
            try await delete(idHash: idHash)
            return nil
        }
        guard !user.disabled else { return nil }
        if now - info.lastSeenAt > touchInterval.milliseconds {
            try await database.transaction { db in
                try await db.raw("UPDATE sessions SET last_seen_at = \(bind: now) WHERE id_hash = \(bind: idHash)").run()
            }
        }
        return (user, info)
    }

    /// Deletes sessions that can no longer be used (idle or past the absolute limit); returns how many.
    func purgeExpired(now: Int64 = Clock.nowMilliseconds()) async throws -> Int {
        let idleSince = now - idleTimeout.milliseconds, createdSince = now - absoluteTimeout.milliseconds
        return try await database.transaction { db in
            try await db.raw("""
                DELETE FROM sessions WHERE last_seen_at < \(bind: idleSince) OR created_at < \(bind: createdSince) RETURNING id_hash
                """).all().count
        }
    }

    func delete(idHash: String) async throws {
        try await database.transaction { db in
            try await db.raw("DELETE FROM sessions WHERE id_hash = \(bind: idHash)").run()
        }
    }

    /// The account's live sessions: those neither idle nor older than the absolute limit.
    func list(userID: Int64, now: Int64 = Clock.nowMilliseconds()) async throws -> [Info] {
        let idleSince = now - idleTimeout.milliseconds, createdSince = now - absoluteTimeout.milliseconds
        return try await database.read { db in
            try await db.raw("""
                SELECT id_hash, created_at, last_seen_at, ip, user_agent FROM sessions
                WHERE user_id = \(bind: userID) AND last_seen_at >= \(bind: idleSince) AND created_at >= \(bind: createdSince)
                ORDER BY last_seen_at DESC
                """).all().map { row in
                    Info(idHash: try row.decode(column: "id_hash"), createdAt: try row.decode(column: "created_at"),
                         lastSeenAt: try row.decode(column: "last_seen_at"), ip: try row.decode(column: "ip"),
                         userAgent: try row.decode(column: "user_agent"))
                }
        }
    }

    /// Ends every session of the account except `keeping` (nil: all of them).
    func deleteAll(userID: Int64, keeping: String? = nil) async throws {
        try await database.transaction { db in
            try await Self.deleteAll(userID: userID, keeping: keeping, in: db)
        }
    }

    static func deleteAll(userID: Int64, keeping: String? = nil, in db: any SQLDatabase) async throws {
        if let keeping {
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userID) AND id_hash <> \(bind: keeping)").run()
        } else {
            try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
        }
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
