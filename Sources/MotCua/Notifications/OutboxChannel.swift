/// How an outbox message travels: a mail through SMTP, or a text message through the SMS gateway.
enum OutboxChannel: String, Sendable, CaseIterable {
    case mail
    case sms

    var label: String {
        switch self {
        case .mail: "Thư điện tử"
        case .sms: "SMS"
        }
    }
}
