import Foundation

struct OutboxRow: Sendable, Encodable {
    var createdAt: String
    var channel: String
    var recipient: String
    var subject: String
    var status: String
    var lastError: String?
    var body: String
}

struct OutboxPage: PageModel {
    static let template = "admin/outbox"
    var chrome: PageChrome
    var modeText: String
    var messages: [OutboxRow]
    /// How many messages were given up on, for the administrator to look into.
    var failedNotice: String?
}
