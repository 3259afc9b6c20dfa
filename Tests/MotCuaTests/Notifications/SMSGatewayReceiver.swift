import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

@testable import MotCua

/// A real HTTP server standing in for the SMS gateway: it checks the API key, records every message it
/// accepts, and can answer 503 a number of times or take its time, as real gateways do.
actor SMSInbox {
    struct Received: Decodable, Equatable {
        var to: String
        var from: String
        var text: String
        var reference: String
    }

    private(set) var received: [Received] = []
    private(set) var refusedWithKey = 0
    var failuresLeft = 0
    var delay: Duration = .zero

    init(failures: Int = 0, delay: Duration = .zero) {
        self.failuresLeft = failures
        self.delay = delay
    }

    /// The answer to one POST: 401 for a wrong key, 503 while failures are left, else 200 and recorded.
    func answer(authorization: String?, body: ByteBuffer) async -> HTTPResponse.Status {
        guard authorization == "Bearer \(SMSGatewayReceiver.apiKey)" else {
            refusedWithKey += 1
            return .unauthorized
        }
        if failuresLeft > 0 {
            failuresLeft -= 1
            return .serviceUnavailable
        }
        guard let message = try? JSONDecoder().decode(Received.self, from: Data(body.readableBytesView)) else { return .badRequest }
        if delay > .zero { try? await Task.sleep(for: delay) }
        received.append(message)
        return .ok
    }
}

enum SMSGatewayReceiver {
    static let apiKey = "khoa-thu-nghiem-0123456789"

    struct NotStarted: Error {}

    /// Runs the receiver on 127.0.0.1:`port` (0: a port the system picks) while `body` runs with the port it
    /// listens on. A port that cannot be bound fails the test at once instead of leaving it waiting.
    static func run<T: Sendable>(port: Int = 0, inbox: SMSInbox, _ body: @escaping @Sendable (Int) async throws -> T) async throws -> T {
        let router = Router()
        router.post("sms") { request, _ -> Response in
            let authorization = request.headers[.authorization]
            let bytes = try await request.body.collect(upTo: 64 * 1024)
            let status = await inbox.answer(authorization: authorization, body: bytes)
            return Response(status: status, body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"\#(status.code)"}"#)))
        }
        var logger = Logger(label: "sms.gateway.test")
        logger.logLevel = .critical
        let (started, running) = AsyncStream<Int>.makeStream()
        // Not HummingbirdTesting's `.live`: it always binds port 0, and "the gateway was down" needs the same port twice.
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in running.yield(channel.localAddress?.port ?? port) }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { running.finish() }
                try await app.runService(gracefulShutdownSignals: [])
            }
            var bound: Int?
            for await listening in started {
                bound = listening
                break
            }
            guard let bound else {
                try await group.next()  // the server's own error (the port taken), else:
                throw NotStarted()
            }
            defer { group.cancelAll() }
            return try await body(bound)
        }
    }

    static func settings(port: Int) -> AppConfiguration.SMSSettings {
        AppConfiguration.SMSSettings(url: "http://127.0.0.1:\(port)/sms", apiKey: apiKey, sender: "SONOIVU")
    }

    static func gateway(port: Int) -> SMSGateway {
        SMSGateway(settings: SMSGateway.Settings(url: "http://127.0.0.1:\(port)/sms", apiKey: apiKey, sender: "SONOIVU", timeout: .seconds(5)))
    }
}
