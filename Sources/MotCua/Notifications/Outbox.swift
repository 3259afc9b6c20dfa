import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import Synchronization

/// A message waiting in, or gone from, the outbox.
struct OutboxMessage: Sendable, Equatable {
    var id: Int64
    var recipient: String
    var subject: String
    var bodyText: String
    var status: OutboxStatus
    var attempts: Int
    var lastError: String?
    var createdAt: Int64
    var sentAt: Int64?
}

/// Mail is written to the outbox in the same transaction as the change that causes it, and delivered
/// later by `OutboxDelivery`: a change is never saved without its mail, nor mail sent for an unsaved change.
enum Outbox {
    static func enqueue(to recipient: String, subject: String, body: String, in db: any SQLDatabase) async throws {
        try await enqueue(OutgoingMail(to: recipient, subject: subject, body: body), in: db)
    }

    static func enqueue(_ mail: OutgoingMail, in db: any SQLDatabase) async throws {
        let now = Clock.nowMilliseconds()
        try await db.raw("""
            INSERT INTO outbox (recipient, subject, body_text, status, attempts, next_attempt_at, created_at)
            VALUES (\(bind: mail.to), \(bind: mail.subject), \(bind: mail.body), \(bind: OutboxStatus.pending.rawValue), 0,
                \(bind: now), \(bind: now))
            """).run()
    }

    static func recent(limit: Int, in database: any Database) async throws -> [OutboxMessage] {
        try await database.read { db in
            try await db.raw("""
                SELECT id, recipient, subject, body_text, status, attempts, last_error, created_at, sent_at
                FROM outbox ORDER BY id DESC LIMIT \(bind: limit)
                """).all().map(message(from:))
        }
    }

    static func message(from row: any SQLRow) throws -> OutboxMessage {
        OutboxMessage(
            id: try row.decode(column: "id"), recipient: try row.decode(column: "recipient"),
            subject: try row.decode(column: "subject"), bodyText: try row.decode(column: "body_text"),
            status: try JSONColumn.enumValue(row, "status"), attempts: try row.decode(column: "attempts"),
            lastError: try row.decode(column: "last_error"), createdAt: try row.decode(column: "created_at"),
            sentAt: try row.decode(column: "sent_at"))
    }
}

/// Where delivered mail goes.
protocol Mailer: Sendable {
    func send(_ message: OutboxMessage) async throws
}

/// Real delivery over SMTP.
struct SMTPMailer: Mailer {
    let client: SMTPClient
    let from: EmailAddress

    func send(_ message: OutboxMessage) async throws {
        try await client.send(EmailMessage(
            from: from, to: [EmailAddress(address: message.recipient)], subject: message.subject,
            textBody: message.bodyText, messageID: "<outbox-\(message.id)-\(UUID().uuidString)@motcua>"))
    }
}

/// With no SMTP server configured (the demo): the message goes to the log, and stays readable by the
/// system administrator in the portal's outbox page.
struct LogMailer: Mailer {
    let logger: Logger

    func send(_ message: OutboxMessage) async throws {
        logger.notice("Mail (no SMTP configured)", metadata: [
            "to": "\(message.recipient)", "subject": "\(message.subject)", "body": "\(message.bodyText)",
        ])
    }
}

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

/// A one-time signal: `wait()` returns once `open()` has been called (at once if it already was).
final class ReadySignal: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyOpen = state.withLock { state -> Bool in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if alreadyOpen { continuation.resume() }
        }
    }
}
