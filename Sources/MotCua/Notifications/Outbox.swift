import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import Synchronization

/// Mail and SMS are written to the outbox in the same transaction as the change that causes them, and
/// delivered later by `OutboxDelivery`: a change is never saved without its notices, nor a notice sent for
/// an unsaved change.
enum Outbox {
    static func enqueue(to recipient: String, subject: String, body: String, in db: any SQLDatabase) async throws {
        try await enqueue(OutgoingMail(to: recipient, subject: subject, body: body), in: db)
    }

    static func enqueue(_ mail: OutgoingMail, in db: any SQLDatabase) async throws {
        try await insert(.mail, recipient: mail.to, subject: mail.subject, body: mail.body, in: db)
    }

    /// Many mails in one INSERT (the due sweep's thousands of notices in a few statements).
    static func enqueue(_ mails: [OutgoingMail], in db: any SQLDatabase) async throws {
        guard !mails.isEmpty else { return }
        let now = Clock.nowMilliseconds()
        var sql: SQLQueryString = """
            INSERT INTO outbox (channel, recipient, subject, body_text, status, attempts, next_attempt_at, created_at) VALUES
            """
        for (index, mail) in mails.enumerated() {
            sql += index == 0 ? " " : ", "
            sql += """
                (\(bind: OutboxChannel.mail.rawValue), \(bind: mail.to), \(bind: mail.subject), \(bind: mail.body), \(bind: OutboxStatus.pending.rawValue), 0, \(bind: now), \(bind: now))
                """
        }
        try await db.raw(sql).run()
    }

    static func enqueue(_ sms: OutgoingSMS, in db: any SQLDatabase) async throws {
        try await insert(.sms, recipient: sms.to, subject: "", body: sms.text, in: db)
    }

    static func enqueue(_ notice: Notice, in db: any SQLDatabase) async throws {
        if let mail = notice.mail { try await enqueue(mail, in: db) }
        if let sms = notice.sms { try await enqueue(sms, in: db) }
    }

    private static func insert(_ channel: OutboxChannel, recipient: String, subject: String, body: String, in db: any SQLDatabase) async throws {
        let now = Clock.nowMilliseconds()
        try await db.raw("""
            INSERT INTO outbox (channel, recipient, subject, body_text, status, attempts, next_attempt_at, created_at)
            VALUES (\(bind: channel.rawValue), \(bind: recipient), \(bind: subject), \(bind: body), \(bind: OutboxStatus.pending.rawValue), 0,
                \(bind: now), \(bind: now))
            """).run()
    }

    static let columns: SQLQueryString = "id, channel, recipient, subject, body_text, status, attempts, last_error, created_at, sent_at"

    static func recent(limit: Int, in database: any Database) async throws -> [OutboxMessage] {
        try await database.read { db in
            try await db.raw("SELECT \(columns) FROM outbox ORDER BY id DESC LIMIT \(bind: limit)").all().map(message(from:))
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
            id: try row.decode(column: "id"), channel: try JSONColumn.enumValue(row, "channel"),
            recipient: try row.decode(column: "recipient"),
            subject: try row.decode(column: "subject"), bodyText: try row.decode(column: "body_text"),
            status: try JSONColumn.enumValue(row, "status"), attempts: try row.decode(column: "attempts"),
            lastError: try row.decode(column: "last_error"), createdAt: try row.decode(column: "created_at"),
            sentAt: try row.decode(column: "sent_at"))
    }
}
