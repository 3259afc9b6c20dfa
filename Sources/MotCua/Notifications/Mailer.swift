import Foundation

/// Where delivered mail goes.
protocol Mailer: Sendable {
    func send(_ message: OutboxMessage) async throws
}
