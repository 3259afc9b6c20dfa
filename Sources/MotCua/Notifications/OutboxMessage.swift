/// A message waiting in, or gone from, the outbox.
struct OutboxMessage: Sendable, Equatable {
    var id: Int64
    var channel: OutboxChannel = .mail
    var recipient: String
    /// Empty for an SMS.
    var subject: String
    var bodyText: String
    var status: OutboxStatus
    var attempts: Int
    var lastError: String?
    var createdAt: Int64
    var sentAt: Int64?
}
