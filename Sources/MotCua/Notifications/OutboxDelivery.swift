import Foundation
import Logging
import SQLKit
import Prometheus
import ServiceLifecycle

/// Delivers due outbox messages (mail through the mailer, SMS through the gateway); retries temporary failures with exponential backoff and gives up after
/// `maxAttempts`; a permanent failure (an SMTP 5xx) stops at once and shows on the administrator's outbox
/// page. Claims a message before sending it and renews the claim while the SMTP session lasts, so two
/// portal processes never both send it, however slow the server is.
struct OutboxDelivery: Service {
    let database: any Database
    let mailer: any Mailer
    let logger: Logger
    /// Where text messages go; nil writes them to the log (no gateway configured).
    var sms: (any SMSSender)? = nil
    /// Opened once the schema exists: delivery waits for migrations.
    var ready: ReadySignal? = nil
    var interval: Duration = .seconds(2)
    var maxAttempts = 8
    var baseBackoff: Duration = .seconds(30)
    /// How long a claimed message stays away from other processes; renewed every third of it while sending.
    var claimLease: Duration = .seconds(120)
    /// Where the backlog and the failures are counted (`/metrics`); nil in tests that do not look.
    var metrics: PrometheusCollectorRegistry? = nil

    func run() async throws {
        await ready?.waitUnlessShuttingDown()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await deliverDue()
            } catch {
                logger.error("Outbox delivery round failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            // Waking at once on shutdown: a service that sleeps through it holds the whole process up.
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                // Shutdown or cancellation ends the wait; the loop condition ends the service.
            }
        }
    }

    /// One round: sends every message that is due; returns how many were sent.
    func deliverDue(limit: Int = 20) async throws -> Int {
        let now = Clock.nowMilliseconds()
        let due = try await database.read { db in
            try await db.raw("""
                SELECT \(Outbox.columns)
                FROM outbox WHERE status = \(bind: OutboxStatus.pending.rawValue) AND next_attempt_at <= \(bind: now) ORDER BY id LIMIT \(bind: limit)
                """).all().map(Outbox.message(from:))
        }
        try await recordBacklog()
        var sent = 0
        for message in due where try await claim(message, now: now) {
            do {
                try await sendKeepingClaim(message)
                try await database.transaction { db in
                    try await db.raw("""
                        UPDATE outbox SET status = \(bind: OutboxStatus.sent.rawValue), sent_at = \(bind: Clock.nowMilliseconds()),
                            attempts = attempts + 1, last_error = NULL WHERE id = \(bind: message.id)
                        """).run()
                }
                sent += 1
                metrics?.makeCounter(descriptor: MetricNames.outboxSent).increment()
            } catch {
                let attempts = message.attempts + 1
                let permanent = (error as? any DeliveryFailure)?.isPermanent ?? false
                let giveUp = permanent || attempts >= maxAttempts
                metrics?.makeCounter(descriptor: MetricNames.outboxDeliveryFailures, labels: [("kind", permanent ? "permanent" : "temporary")])
                    .increment()
                let delay = baseBackoff.milliseconds * Int64(1 << min(attempts - 1, 10))
                logger.warning("Outbox delivery failed", metadata: [
                    "channel": "\(message.channel.rawValue)",
                    "outboxID": "\(message.id)", "attempt": "\(attempts)", "permanent": "\(permanent)",
                    "error": "\(String(reflecting: error))",
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

    /// The outbox's backlog and the messages given up on, as gauges (shared by every process: read from the table).
    private func recordBacklog() async throws {
        guard let metrics else { return }
        let counts = try await database.read { db in
            try await db.raw("SELECT status, COUNT(*) AS n FROM outbox WHERE status <> \(bind: OutboxStatus.sent.rawValue) GROUP BY status").all()
                .map { (try $0.decode(column: "status", as: String.self), try $0.decode(column: "n", as: Int64.self)) }
        }
        let byStatus = Dictionary(counts, uniquingKeysWith: +)
        metrics.makeGauge(descriptor: MetricNames.outboxPending).set(Double(byStatus[OutboxStatus.pending.rawValue] ?? 0))
        metrics.makeGauge(descriptor: MetricNames.outboxFailed).set(Double(byStatus[OutboxStatus.failed.rawValue] ?? 0))
    }

    /// Sends the message while renewing its claim every third of the lease, so a slow SMTP session never
    /// outlives the claim and lets another process send the same mail.
    private func sendKeepingClaim(_ message: OutboxMessage) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                switch message.channel {
                case .mail: try await mailer.send(message)
                case .sms: try await (sms ?? LogSMSSender(logger: logger)).send(message)
                }
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: claimLease / 3)
                    do {
                        try await renewClaim(message.id)
                    } catch is CancellationError {
                        throw CancellationError()
                    } catch {
                        logger.warning("Could not renew the outbox claim", metadata: ["outboxID": "\(message.id)", "error": "\(error)"])
                    }
                }
            }
            // The renewal never ends on its own: the first task to finish is the send.
            try await group.next()
            group.cancelAll()
        }
    }

    private func renewClaim(_ id: Int64) async throws {
        try await database.transaction { db in
            try await db.raw("""
                UPDATE outbox SET next_attempt_at = \(bind: Clock.nowMilliseconds() + claimLease.milliseconds)
                WHERE id = \(bind: id) AND status = \(bind: OutboxStatus.pending.rawValue)
                """).run()
        }
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
