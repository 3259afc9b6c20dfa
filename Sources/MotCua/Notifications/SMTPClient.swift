import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

// A small SMTP submission client (RFC 5321, STARTTLS RFC 3207, AUTH PLAIN/LOGIN RFC 4954) on SwiftNIO.
// One connection per message: connect, 220 greeting, EHLO, [STARTTLS, EHLO], [AUTH], MAIL FROM,
// RCPT TO (each), DATA, message, QUIT. The channel is closed on every path.

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

enum SMTPAddressValidator {
    /// Display names may hold any text but no line breaks or other control characters (header injection).
    static func validate(_ mailbox: EmailAddress) throws {
        try self.validate(address: mailbox.address)
        if let name = mailbox.name, name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw SMTPError.invalidAddress(name)
        }
    }

    /// A conservative addr-spec check: printable ASCII without spaces, angle brackets, quotes, commas…,
    /// exactly one "@" with text on both sides. Rejects CR/LF, so nothing can be smuggled into a command
    /// or a header.
    static func validate(address: String) throws {
        let forbidden = Set("<>()[]\\,;:\"".unicodeScalars)
        let scalars = address.unicodeScalars
        guard !address.isEmpty, address.utf8.count <= 254,
            scalars.allSatisfy({ (0x21...0x7E).contains($0.value) && !forbidden.contains($0) })
        else { throw SMTPError.invalidAddress(address) }
        // The same rule as registration (`Identifiers.isEmail`: ASCII, a domain with a dot), so an address
        // the portal accepted is one the mailer sends to.
        guard Identifiers.isEmail(address) else { throw SMTPError.invalidAddress(address) }
    }
}

// MARK: - DATA encoding

enum SMTPDataEncoder {
    /// The bytes sent after DATA's 354: line endings normalised to CRLF, lines starting with "." get one more
    /// "." (RFC 5321 §4.5.2), and the terminator CRLF "." CRLF.
    static func encode(_ text: String) -> [UInt8] {
        let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), dot = UInt8(ascii: ".")
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 50 + 8)
        var atLineStart = true
        var previousWasCR = false
        for byte in text.utf8 {
            if byte == lf && previousWasCR {  // second half of a CRLF already written
                previousWasCR = false
                continue
            }
            previousWasCR = byte == cr
            if byte == cr || byte == lf {
                output.append(cr)
                output.append(lf)
                atLineStart = true
                continue
            }
            if atLineStart && byte == dot { output.append(dot) }
            output.append(byte)
            atLineStart = false
        }
        if !atLineStart {
            output.append(cr)
            output.append(lf)
        }
        output.append(contentsOf: [dot, cr, lf])
        return output
    }
}

// MARK: - Replies

struct SMTPReply: Sendable, Equatable {
    var code: Int
    /// The text of each line, without the code and separator.
    var lines: [String]
    var text: String { self.lines.joined(separator: "\n") }
}

/// What EHLO advertised.
struct SMTPExtensions: Sendable {
    private var keywords: Set<String> = []
    private(set) var authMechanisms: Set<String> = []

    init(ehloReply: SMTPReply) {
        // The first line is the greeting; each further line is "KEYWORD [params]".
        for line in ehloReply.lines.dropFirst() {
            let words = line.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
            guard let keyword = words.first else { continue }
            self.keywords.insert(keyword)
            if keyword == "AUTH" { self.authMechanisms.formUnion(words.dropFirst()) }
        }
    }

    func supports(_ keyword: String) -> Bool { self.keywords.contains(keyword) }
}

/// Assembles reply lines ("250-first", "250 last") into replies. Pure, so it is tested without a socket.
struct SMTPReplyParser {
    static let maximumLines = 1000
    private var code: Int?
    private var lines: [String] = []

    var isInsideReply: Bool { self.code != nil }

    /// Feeds one line (without CRLF); returns the reply when this line completes it.
    mutating func feed(_ line: String) throws -> SMTPReply? {
        let bytes = Array(line.utf8)
        let digits = bytes.prefix(3)
        guard digits.count == 3, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let code = Int(String(decoding: digits, as: UTF8.self)), (200...599).contains(code)
        else { throw SMTPError.connectionFailed("malformed reply line: \(line.prefix(80).debugDescription)") }
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw SMTPError.connectionFailed("malformed reply line: \(line.prefix(80).debugDescription)")
        }
        if let current = self.code, current != code {
            throw SMTPError.connectionFailed("reply code changed inside a multi-line reply: \(current) then \(code)")
        }
        guard self.lines.count < Self.maximumLines else { throw SMTPError.connectionFailed("reply too long") }
        self.code = code
        self.lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard separator == UInt8(ascii: " ") else { return nil }
        defer {
            self.code = nil
            self.lines = []
        }
        return SMTPReply(code: code, lines: self.lines)
    }
}

/// Splits the byte stream into lines, assembles replies and hands them, one at a time, to the single
/// waiter, with a timeout. Used on its channel's event loop only.
final class SMTPReplyHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let maximumLineLength = 4096

    private let eventLoop: any EventLoop
    private var context: ChannelHandlerContext?
    private var buffer = ByteBuffer()
    private var parser = SMTPReplyParser()
    private var replies = CircularBuffer<SMTPReply>()
    private var failure: (any Error)?
    private var waiter: (promise: EventLoopPromise<SMTPReply>, timeout: Scheduled<Void>)?

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// True when the server has sent anything not yet consumed (checked before starting TLS, RFC 3207 §5).
    var hasUnconsumedInput: Bool {
        self.buffer.readableBytes > 0 || !self.replies.isEmpty || self.parser.isInsideReply
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.fail(SMTPError.connectionFailed("connection closed"))
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = self.unwrapInboundIn(data)
        self.buffer.writeBuffer(&incoming)
        do {
            while let newline = self.buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                var length = newline - self.buffer.readerIndex
                let hasCR = length > 0 && self.buffer.getInteger(at: newline - 1, as: UInt8.self) == UInt8(ascii: "\r")
                if hasCR { length -= 1 }
                let line = self.buffer.readString(length: length) ?? ""
                self.buffer.moveReaderIndex(forwardBy: hasCR ? 2 : 1)
                if let reply = try self.parser.feed(line) { self.deliver(reply) }
            }
            guard self.buffer.readableBytes <= Self.maximumLineLength else {
                throw SMTPError.connectionFailed("reply line longer than \(Self.maximumLineLength) bytes")
            }
            self.buffer.discardReadBytes()
        } catch {
            self.fail(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.fail(SMTPError.connectionFailed("connection closed by the server"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.fail(error)
        context.close(promise: nil)
    }

    /// Writes `bytes` (if any), then waits for the next reply for at most `timeout`.
    func send(_ bytes: ByteBuffer?, timeout: TimeAmount) -> EventLoopFuture<SMTPReply> {
        let eventLoop = self.eventLoop
        if let failure = self.failure { return eventLoop.makeFailedFuture(failure) }
        guard let context = self.context else {
            return eventLoop.makeFailedFuture(SMTPError.connectionFailed("connection closed"))
        }
        precondition(self.waiter == nil, "one SMTP command at a time")
        if let bytes {
            context.writeAndFlush(self.wrapOutboundOut(bytes)).assumeIsolated().whenFailure { error in
                self.fail(error)
            }
        }
        if let reply = self.replies.popFirst() { return eventLoop.makeSucceededFuture(reply) }
        if let failure = self.failure { return eventLoop.makeFailedFuture(failure) }
        let promise = eventLoop.makePromise(of: SMTPReply.self)
        let scheduled = eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.fail(SMTPError.timeout)
            self.context?.close(promise: nil)
        }
        self.waiter = (promise, scheduled)
        return promise.futureResult
    }

    private func deliver(_ reply: SMTPReply) {
        if let waiter = self.waiter {
            self.waiter = nil
            waiter.timeout.cancel()
            waiter.promise.succeed(reply)
        } else {
            self.replies.append(reply)
        }
    }

    private func fail(_ error: any Error) {
        if self.failure == nil { self.failure = error }
        if let waiter = self.waiter {
            self.waiter = nil
            waiter.timeout.cancel()
            waiter.promise.fail(error)
        }
    }
}

@available(*, unavailable)
extension SMTPReplyHandler: Sendable {}

/// One open session: the channel and its reply handler (touched on the channel's event loop only).
struct SMTPConnection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<SMTPReplyHandler>
    let timeout: TimeAmount
    let logger: Logger

    static func connect(
        host: String, port: Int, timeout: Duration, group: any EventLoopGroup, logger: Logger
    ) async throws -> SMTPConnection {
        let timeAmount = TimeAmount(timeout)
        do {
            return try await ClientBootstrap(group: group)
                .connectTimeout(timeAmount)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = SMTPReplyHandler(eventLoop: channel.eventLoop)
                        try channel.pipeline.syncOperations.addHandler(handler)
                        return SMTPConnection(
                            channel: channel,
                            handler: NIOLoopBound(handler, eventLoop: channel.eventLoop),
                            timeout: timeAmount,
                            logger: logger
                        )
                    }
                }
        } catch ChannelError.connectTimeout {
            throw SMTPError.timeout
        } catch {
            throw SMTPError.connectionFailed("cannot connect to \(host):\(port): \(error)")
        }
    }

    /// Waits for a reply without sending anything (the greeting).
    func readReply() async throws -> SMTPReply {
        try await self.exchange(nil)
    }

    /// Sends one command line (CRLF added) and returns the reply, whatever its code.
    func send(line: String, logAs: String? = nil) async throws -> SMTPReply {
        self.logger.trace("SMTP >>> \(logAs ?? line)")
        var buffer = ByteBuffer()
        buffer.writeString(line)
        buffer.writeStaticString("\r\n")
        return try await self.exchange(buffer)
    }

    /// Sends raw bytes (the message data) and returns the reply.
    func send(_ bytes: ByteBuffer) async throws -> SMTPReply {
        self.logger.trace("SMTP >>> (\(bytes.readableBytes) bytes of message data)")
        return try await self.exchange(bytes)
    }

    /// Sends a command and checks that the reply code is one of `codes`.
    @discardableResult
    func command(_ line: String, logAs: String? = nil, expecting codes: Set<Int>) async throws -> SMTPReply {
        let reply = try await self.send(line: line, logAs: logAs)
        return try self.expect(codes, from: reply, command: logAs ?? line)
    }

    @discardableResult
    func expect(_ codes: Set<Int>, from reply: SMTPReply, command: String) throws -> SMTPReply {
        guard codes.contains(reply.code) else {
            throw SMTPError.unexpectedReply(command: command, code: reply.code, text: reply.text)
        }
        return reply
    }

    /// Puts TLS under the SMTP handler (after STARTTLS got 220). The handshake runs while the next command
    /// is buffered by the TLS handler; its failure fails that command.
    func startTLS(context: NIOSSLContext, serverHostname: String?) async throws {
        let handler = self.handler
        let channel = self.channel
        try await channel.eventLoop.submit {
            guard !handler.value.hasUnconsumedInput else {
                throw SMTPError.connectionFailed("server sent data after its STARTTLS reply")
            }
            let tls = try NIOSSLClientHandler(context: context, serverHostname: serverHostname)
            try channel.pipeline.syncOperations.addHandler(tls, position: .first)
        }.get()
    }

    /// Closes the channel and waits until it is closed. Never throws.
    func close() async {
        try? await self.channel.close()
    }

    /// Starts closing without waiting (used from a cancellation handler).
    func closeNow() {
        self.channel.close(promise: nil)
    }

    /// Best effort, after a refused command: say QUIT, do not wait for the answer.
    func sendQuitWithoutWaiting() {
        var buffer = ByteBuffer()
        buffer.writeStaticString("QUIT\r\n")
        self.channel.writeAndFlush(buffer, promise: nil)
    }

    private func exchange(_ bytes: ByteBuffer?) async throws -> SMTPReply {
        let handler = self.handler
        let timeout = self.timeout
        let reply = try await self.channel.eventLoop.flatSubmit {
            handler.value.send(bytes, timeout: timeout)
        }.get()
        self.logger.trace("SMTP <<< \(reply.code) \(reply.text)")
        return reply
    }
}
