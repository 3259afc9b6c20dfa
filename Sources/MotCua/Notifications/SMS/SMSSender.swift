import Foundation
import Logging

/// Where delivered text messages go.
protocol SMSSender: Sendable {
    func send(_ message: OutboxMessage) async throws
}

/// With no SMS gateway configured (the demo): the message goes to the log, and stays readable by the
/// system administrator beside the mail in the portal's outbox page.
struct LogSMSSender: SMSSender {
    let logger: Logger

    func send(_ message: OutboxMessage) async throws {
        logger.notice("SMS (no gateway configured)", metadata: ["to": "\(message.recipient)", "text": "\(message.bodyText)"])
    }
}
