import Foundation

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
