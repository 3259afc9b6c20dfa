import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import Synchronization

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

    static func count(_ status: OutboxStatus, in database: any Database) async throws -> Int {
        try await database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM outbox WHERE status = \(bind: status.rawValue)").first()?
                .decode(column: "n", as: Int.self) ?? 0
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

