import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

public enum SMTPError: Error, Equatable, CustomStringConvertible {
    /// Could not connect, the connection dropped, TLS failed, or the server spoke something that is not SMTP.
    case connectionFailed(String)
    /// The server answered `code` where another code was expected. `command` never contains credentials.
    case unexpectedReply(command: String, code: Int, text: String)
    /// Connecting or waiting for a reply took longer than `SMTPConfiguration.timeout`.
    case timeout
    /// `.startTLS` was required but the server does not advertise STARTTLS.
    case tlsUnavailable
    /// An address (or display name, or `heloName`) that cannot be sent safely: CR/LF, control characters,
    /// no `@`…
    case invalidAddress(String)

    public var description: String {
        switch self {
        case .connectionFailed(let reason): "SMTP connection failed: \(reason)"
        case .unexpectedReply(let command, let code, let text): "SMTP server replied \(code) to \(command): \(text)"
        case .timeout: "SMTP server did not answer in time"
        case .tlsUnavailable: "SMTP server does not offer STARTTLS"
        case .invalidAddress(let address): "invalid e-mail address: \(address.debugDescription)"
        }
    }
}

extension SMTPError: DeliveryFailure {
    /// 5xx replies are permanent (RFC 5321 §4.2.1); so is an address that can never be sent safely.
    var isPermanent: Bool {
        switch self {
        case .unexpectedReply(_, let code, _): (500..<600).contains(code)
        case .invalidAddress: true
        case .connectionFailed, .timeout, .tlsUnavailable: false
        }
    }
}
