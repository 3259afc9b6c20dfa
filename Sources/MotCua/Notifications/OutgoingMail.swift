/// A mail to write to the outbox with the change that causes it.
struct OutgoingMail: Sendable, Equatable {
    var to: String
    var subject: String
    var body: String
}
