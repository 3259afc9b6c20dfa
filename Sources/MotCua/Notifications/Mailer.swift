import Foundation

/// Where delivered mail goes.
protocol Mailer: Sendable {
    func send(_ message: OutboxMessage) async throws
}

/// A delivery error that knows whether trying again can help: a permanent one (an SMTP 5xx reply, an
/// address that cannot be sent to) stops the retries at once.
protocol DeliveryFailure: Error {
    var isPermanent: Bool { get }
}
