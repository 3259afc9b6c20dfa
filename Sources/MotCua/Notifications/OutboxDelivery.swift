import Foundation
import Logging
import SQLKit
import ServiceLifecycle

/// Delivers due outbox messages; retries failures with exponential backoff and gives up after
/// `maxAttempts`. Claims a message before sending it, so two portal processes never both send it.
struct OutboxDelivery: Service {
    let database: any Database
    let mailer: any Mailer
    let logger: Logger
    /// Opened once the schema exists: delivery waits for migrations.
    var ready: ReadySignal? = nil
    var interval: Duration = .seconds(2)
    var maxAttempts = 8
    var baseBackoff: Duration = .seconds(30)
    /// How long a claimed message stays away from other processes while being sent.
    var claimLease: Duration = .seconds(120)

    func run() async throws {
        await ready?.wait()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await deliverDue()
            } catch {
                logger.error("Outbox delivery round failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            // Waking at once on shutdown: a service that sleeps through it holds the whole process up.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One round: sends every message that is due; returns how many were sent.
    func deliverDue(limit: Int = 20) async throws -> Int {
        let now = Clock.nowMilliseconds()
        let due = try await database.read { db in
            try await db.raw("""
                SELECT id, recipient, subject, body_text, status, attempts, last_error, created_at, sent_at
                FROM outbox WHERE status = \(bind: OutboxStatus.pending.rawValue) AND next_attempt_at <= \(bind: now) ORDER BY id LIMIT \(bind: limit)
                """).all().map(Outbox.message(from:))
        }
        var sent = 0
        for message in due where try await claim(message, now: now) {
            do {
                try await mailer.send(message)
                try await database.transaction { db in
                    try await db.raw("""
                        UPDATE outbox SET status = \(bind: OutboxStatus.sent.rawValue), sent_at = \(bind: Clock.nowMilliseconds()),
                            attempts = attempts + 1, last_error = NULL WHERE id = \(bind: message.id)
                        """).run()
                }
                sent += 1
            } catch {
                let attempts = message.attempts + 1
                let giveUp = attempts >= maxAttempts
                let delay = baseBackoff.milliseconds * Int64(1 << min(attempts - 1, 10))
                logger.warning("Mail delivery failed", metadata: [
                    "outboxID": "\(message.id)", "attempt": "\(attempts)", "error": "\(String(reflecting: error))",
                ])
                try await database.transaction { db in
                    try await db.raw("""
                        UPDATE outbox SET attempts = \(bind: attempts), status = \(bind: (giveUp ? OutboxStatus.failed : .pending).rawValue),
                            next_attempt_at = \(bind: Clock.nowMilliseconds() + delay),
                            last_error = \(bind: String(String(describing: error).prefix(500)))
                        WHERE id = \(bind: message.id)
                        """).run()
                }
            }
        }
        return sent
    }

    /// Moves the message's next attempt past the lease, only if nobody else did first.
    private func claim(_ message: OutboxMessage, now: Int64) async throws -> Bool {
        try await database.transaction { db in
            let updated = try await db.raw("""
                UPDATE outbox SET next_attempt_at = \(bind: now + claimLease.milliseconds)
                WHERE id = \(bind: message.id) AND status = \(bind: OutboxStatus.pending.rawValue) AND next_attempt_at <= \(bind: now)
                RETURNING id
                """).first()
            return updated != nil
        }
    }
}
