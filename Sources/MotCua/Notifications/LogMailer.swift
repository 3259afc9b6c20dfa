import Foundation
import Logging

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
