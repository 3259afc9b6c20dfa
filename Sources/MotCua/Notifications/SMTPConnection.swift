import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

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
