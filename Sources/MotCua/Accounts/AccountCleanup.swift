import Foundation
import Logging
import SQLKit
import ServiceLifecycle

/// Removes what can no longer be used: expired sessions, single-use links that expired or were used
/// (after a day, so "this link was already used" can still be told), and throttle events older than
/// the longest window. Runs in the background every `interval`, and once at start.
struct AccountCleanup: Service {
    let database: any Database
    let sessions: SessionStore
    let logger: Logger
    var ready: ReadySignal? = nil
    var interval: Duration = .seconds(15 * 60)

    /// Throttle events older than this count towards no rule.
    static let throttleRetention: Duration = .seconds(24 * 60 * 60)
    static let usedTokenRetention: Duration = .seconds(24 * 60 * 60)

    func run() async throws {
        await ready?.waitUnlessShuttingDown()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let removed = try await purge()
                if removed.total > 0 {
                    logger.info("Purged expired account records", metadata: [
                        "sessions": "\(removed.sessions)", "tokens": "\(removed.tokens)", "throttleEvents": "\(removed.throttleEvents)",
                    ])
                }
            } catch {
                logger.error("Account cleanup failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                // Shutdown or cancellation ends the wait; the loop condition ends the service.
            }
        }
    }

    struct Removed: Sendable, Equatable {
        var sessions: Int
        var tokens: Int
        var throttleEvents: Int
        var total: Int { sessions + tokens + throttleEvents }
    }

    /// One round.
    func purge(now: Int64 = Clock.nowMilliseconds()) async throws -> Removed {
        let sessionCount = try await sessions.purgeExpired(now: now)
        let (tokens, events) = try await database.transaction { db in
            let tokens = try await db.raw("""
                DELETE FROM account_tokens
                WHERE expires_at < \(bind: now) OR used_at < \(bind: now - Self.usedTokenRetention.milliseconds) RETURNING user_id
                """).all().count
            let events = try await db.raw("""
                DELETE FROM throttle_events WHERE at < \(bind: now - Self.throttleRetention.milliseconds) RETURNING id
                """).all().count
            return (tokens, events)
        }
        return Removed(sessions: sessionCount, tokens: tokens, throttleEvents: events)
    }
}
