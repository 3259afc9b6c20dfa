import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Where and how to submit mail.
public struct SMTPConfiguration: Sendable {
    /// Transport security.
    public enum Security: Sendable {
        /// Plain text for the whole session.
        case none
        /// STARTTLS is required: fails with `SMTPError.tlsUnavailable` when the server does not offer it.
        case startTLS
        /// STARTTLS when the server offers it, plain text otherwise.
        case startTLSIfAvailable
    }

    public var host: String
    public var port: Int
    public var security: Security
    /// AUTH is used only when both are set.
    public var username: String?
    public var password: String?
    /// The name sent in EHLO (the client's FQDN or an address literal).
    public var heloName: String
    /// Limit for connecting and for each reply of the server.
    public var timeout: Duration
    /// Used for STARTTLS. Default: `.makeClientConfiguration()` (system trust roots, full verification).
    public var tlsConfiguration: TLSConfiguration

    public init(
        host: String,
        port: Int = 587,
        security: Security = .startTLS,
        username: String? = nil,
        password: String? = nil,
        heloName: String = "localhost",
        timeout: Duration = .seconds(30),
        tlsConfiguration: TLSConfiguration = .makeClientConfiguration()
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.heloName = heloName
        self.timeout = timeout
        self.tlsConfiguration = tlsConfiguration
    }
}
