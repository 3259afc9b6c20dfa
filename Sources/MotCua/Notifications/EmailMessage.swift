import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// A mailbox: `address` is the bare addr-spec (`user@example.vn`), `name` an optional display name.
public struct EmailAddress: Sendable, Hashable {
    public var address: String
    public var name: String?

    public init(address: String, name: String? = nil) {
        self.address = address
        self.name = name
    }
}

/// A message as the portal composes it; `MIMEMessage.render` turns it into RFC 5322 text.
public struct EmailMessage: Sendable {
    public var from: EmailAddress
    public var to: [EmailAddress]
    /// UTF-8, sent as RFC 2047 encoded-words when it is not plain ASCII.
    public var subject: String
    /// UTF-8 plain text.
    public var textBody: String
    /// When set, the message is multipart/alternative (text + HTML).
    public var htmlBody: String?
    /// Caller-provided, e.g. "<uuid@motcua.local>" (angle brackets are added when missing).
    public var messageID: String
    public var date: Date

    public init(
        from: EmailAddress,
        to: [EmailAddress],
        subject: String,
        textBody: String,
        htmlBody: String? = nil,
        messageID: String,
        date: Date = Date()
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.messageID = messageID
        self.date = date
    }
}
