import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

// A small SMTP submission client (RFC 5321, STARTTLS RFC 3207, AUTH PLAIN/LOGIN RFC 4954) on SwiftNIO.
// One connection per message: connect, 220 greeting, EHLO, [STARTTLS, EHLO], [AUTH], MAIL FROM,
// RCPT TO (each), DATA, message, QUIT. The channel is closed on every path.

/// Sends messages, one SMTP session per `send`. Cheap to copy; safe to share between tasks.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    /// Built once (loading trust roots is not free); only when the configuration may use TLS.
    private let sslContext: Result<NIOSSLContext, SMTPError>?

    public init(
        configuration: SMTPConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        if configuration.security == .none {
            self.sslContext = nil
        } else {
            do {
                self.sslContext = .success(try NIOSSLContext(configuration: configuration.tlsConfiguration))
            } catch {
                self.sslContext = .failure(.connectionFailed("invalid TLS configuration: \(error)"))
            }
        }
    }

    /// Sends `message` to all of `message.to`. Returns once the server has accepted the message (250 after
    /// the data); a failure of the final QUIT is only logged, so the caller never sends twice.
    public func send(_ message: EmailMessage) async throws {
        try SMTPAddressValidator.validate(message.from)
        for recipient in message.to { try SMTPAddressValidator.validate(recipient) }
        try await self.send(
            data: MIMEMessage.render(message),
            from: message.from.address,
            to: message.to.map(\.address)
        )
    }

    /// Sends already-rendered RFC 5322 text. Line endings are normalised to CRLF and lines starting with
    /// "." are dot-stuffed here.
    func send(data: String, from sender: String, to recipients: [String]) async throws {
        try SMTPAddressValidator.validate(address: sender)
        guard !recipients.isEmpty else { throw SMTPError.invalidAddress("(no recipients)") }
        for recipient in recipients { try SMTPAddressValidator.validate(address: recipient) }
        let heloName = self.configuration.heloName
        guard !heloName.isEmpty, heloName.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw SMTPError.invalidAddress(heloName)  // it goes into the EHLO command line
        }
        let tlsContext: NIOSSLContext?
        switch self.sslContext {
        case .none: tlsContext = nil
        case .success(let context): tlsContext = context
        case .failure(let error): throw error
        }

        var logger = self.logger
        logger[metadataKey: "smtp.server"] = "\(self.configuration.host):\(self.configuration.port)"
        let connection = try await SMTPConnection.connect(
            host: self.configuration.host,
            port: self.configuration.port,
            timeout: self.configuration.timeout,
            group: self.eventLoopGroup,
            logger: logger
        )
        do {
            try await withTaskCancellationHandler {
                try await self.converse(
                    over: connection, data: data, from: sender, to: recipients, tlsContext: tlsContext, logger: logger)
            } onCancel: {
                connection.closeNow()
            }
            await connection.close()
        } catch {
            switch error {
            case SMTPError.unexpectedReply, SMTPError.tlsUnavailable: connection.sendQuitWithoutWaiting()
            default: break
            }
            await connection.close()
            if Task.isCancelled { throw CancellationError() }
            logger.debug("SMTP send failed", metadata: ["error": "\(error)"])
            throw Self.publicError(error)
        }
    }

    private func converse(
        over connection: SMTPConnection,
        data: String,
        from sender: String,
        to recipients: [String],
        tlsContext: NIOSSLContext?,
        logger: Logger
    ) async throws {
        try await connection.expect([220], from: connection.readReply(), command: "greeting")
        var extensions = try await self.hello(connection)

        let useTLS: Bool
        switch self.configuration.security {
        case .none: useTLS = false
        case .startTLS:
            guard extensions.supports("STARTTLS") else { throw SMTPError.tlsUnavailable }
            useTLS = true
        case .startTLSIfAvailable: useTLS = extensions.supports("STARTTLS")
        }
        if useTLS, let tlsContext {
            try await connection.command("STARTTLS", expecting: [220])
            let host = self.configuration.host
            let serverHostname = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
            try await connection.startTLS(context: tlsContext, serverHostname: serverHostname)
            logger.debug("SMTP STARTTLS established")
            extensions = try await self.hello(connection)  // RFC 3207: forget everything learnt before TLS
        }

        if let username = self.configuration.username, let password = self.configuration.password {
            try await self.authenticate(connection, username: username, password: password, extensions: extensions)
        }

        try await connection.command("MAIL FROM:<\(sender)>", expecting: [250])
        for recipient in recipients {
            try await connection.command("RCPT TO:<\(recipient)>", expecting: [250, 251])
        }
        try await connection.command("DATA", expecting: [354])
        var buffer = ByteBuffer()
        buffer.writeBytes(SMTPDataEncoder.encode(data))
        try await connection.expect([250], from: connection.send(buffer), command: "end of DATA")
        logger.debug("SMTP message accepted", metadata: ["smtp.recipients": "\(recipients.count)"])

        do {
            _ = try await connection.send(line: "QUIT")
        } catch {
            logger.debug("SMTP QUIT failed after the message was accepted", metadata: ["error": "\(error)"])
        }
    }

    /// EHLO, falling back to HELO (no extensions) when the server does not know EHLO.
    private func hello(_ connection: SMTPConnection) async throws -> SMTPExtensions {
        let reply = try await connection.send(line: "EHLO \(self.configuration.heloName)")
        if reply.code == 250 { return SMTPExtensions(ehloReply: reply) }
        if [500, 502].contains(reply.code) {
            try await connection.command("HELO \(self.configuration.heloName)", expecting: [250])
            return SMTPExtensions(ehloReply: SMTPReply(code: 250, lines: []))
        }
        throw SMTPError.unexpectedReply(command: "EHLO", code: reply.code, text: reply.text)
    }

    private func authenticate(
        _ connection: SMTPConnection, username: String, password: String, extensions: SMTPExtensions
    ) async throws {
        let mechanisms = extensions.authMechanisms
        // PLAIN unless the server lists mechanisms without PLAIN but with LOGIN. When it lists none (e.g.
        // aiosmtpd before TLS), try PLAIN anyway: its reply (e.g. 538 "encryption required") says why.
        if mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN") {
            let token = Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()
            try await connection.command("AUTH PLAIN \(token)", logAs: "AUTH PLAIN", expecting: [235])
        } else {
            try await connection.command("AUTH LOGIN", expecting: [334])
            try await connection.command(
                Data(username.utf8).base64EncodedString(), logAs: "AUTH LOGIN username", expecting: [334])
            try await connection.command(
                Data(password.utf8).base64EncodedString(), logAs: "AUTH LOGIN password", expecting: [235])
        }
    }

    /// What callers see: `SMTPError`, `CancellationError`, or a channel/TLS error wrapped as `connectionFailed`.
    private static func publicError(_ error: any Error) -> any Error {
        switch error {
        case is SMTPError, is CancellationError: error
        case ChannelError.connectTimeout: SMTPError.timeout
        case let error as NIOSSLError: SMTPError.connectionFailed("TLS: \(error)")
        default: SMTPError.connectionFailed(String(describing: error))
        }
    }
}

// MARK: - Validation

// MARK: - DATA encoding

// MARK: - Replies
