import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@testable import MotCua

// The suite "SMTPClient against aiosmtpd" talks to a real SMTP server, Python's aiosmtpd, started by each
// test on a free loopback port and stopped by PID at the end. It needs SMTP_TEST_PYTHON: the path of a
// python that has aiosmtpd, e.g.
//     python3 -m venv .venv && .venv/bin/pip install aiosmtpd && export SMTP_TEST_PYTHON=$PWD/.venv/bin/python
// Without it, that suite is skipped (the unit suite still runs). openssl must be on PATH for STARTTLS tests.
// Helper script: smtp_server.py next to this file.

private let testLogger: Logger = {
    var logger = Logger(label: "smtp.tests")
    logger.logLevel = ProcessInfo.processInfo.environment["SMTP_TEST_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .critical
    return logger
}()

private let vietnameseSubject = "Xác thực địa chỉ thư điện tử"
private let vietnameseBody = """
    Kính gửi ông/bà Nguyễn Văn Án,

    Cổng dịch vụ công MotCua đã nhận yêu cầu đăng ký tài khoản.
    .Dòng này bắt đầu bằng dấu chấm.
    .
    ..hai dấu chấm
    Trân trọng.
    """
private let fixedDate = Date(timeIntervalSince1970: 1_795_514_400)  // Tue, 24 Nov 2026 10:00:00 +0000

private func vietnameseMessage(subject: String = vietnameseSubject, html: String? = nil) -> EmailMessage {
    EmailMessage(
        from: EmailAddress(address: "no-reply@motcua.test", name: "Cổng dịch vụ công MotCua"),
        to: [
            EmailAddress(address: "nguyen.van.an@example.vn", name: "Nguyễn Văn Án"),
            EmailAddress(address: "tiep-nhan@example.vn"),
        ],
        subject: subject,
        textBody: vietnameseBody,
        htmlBody: html,
        messageID: "<3f2c9a1e-0d5b-4a57-9c1e-motcua@motcua.local>",
        date: fixedDate
    )
}

private func configuration(
    port: Int,
    security: SMTPConfiguration.Security = .none,
    username: String? = nil,
    password: String? = nil,
    timeout: Duration = .seconds(10),
    verifyCertificates: Bool = false
) -> SMTPConfiguration {
    var tls = TLSConfiguration.makeClientConfiguration()
    if !verifyCertificates { tls.certificateVerification = .none }
    return SMTPConfiguration(
        host: "127.0.0.1", port: port, security: security, username: username, password: password,
        heloName: "motcua.test", timeout: timeout, tlsConfiguration: tls)
}

// MARK: - Without a server

@Suite("MIME rendering and SMTP framing")
struct SMTPUnitTests {
    @Test func dateIsRFC5322InEnglishAndUTC() {
        #expect(MIMEMessage.formatDate(fixedDate) == "Tue, 24 Nov 2026 10:00:00 +0000")
        #expect(MIMEMessage.formatDate(Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
    }

    @Test func subjectBecomesShortEncodedWordsThatDecodeBack() throws {
        let long = String(repeating: vietnameseSubject + " — ", count: 5)
        for subject in [vietnameseSubject, long] {
            let header = MIMEMessage.subjectHeader(subject)
            let lines = header.components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.count <= 76 })
            #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" =?UTF-8?B?") })
            let words = try decodeEncodedWords(String(header.dropFirst("Subject: ".count)))
            #expect(words.allSatisfy { $0.word.count <= 75 })
            #expect(words.map(\.text).joined() == subject)
        }
        #expect(MIMEMessage.subjectHeader(long).components(separatedBy: "\r\n").count > 3)
    }

    @Test func asciiSubjectStaysReadableAndLineBreaksCannotInject() {
        #expect(MIMEMessage.subjectHeader("Hello") == "Subject: Hello")
        #expect(MIMEMessage.subjectHeader("Hi\r\nBcc: evil@example.com") == "Subject: Hi  Bcc: evil@example.com")
    }

    @Test func singlePartMessageHasHeadersAndBase64Body() throws {
        let text = MIMEMessage.render(vietnameseMessage())
        let (headers, body) = try #require(splitMessage(text))
        #expect(headers.contains("MIME-Version: 1.0"))
        #expect(headers.contains("Date: Tue, 24 Nov 2026 10:00:00 +0000"))
        #expect(headers.contains("Message-ID: <3f2c9a1e-0d5b-4a57-9c1e-motcua@motcua.local>"))
        #expect(headers.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(headers.contains("Content-Transfer-Encoding: base64"))
        #expect(headers.contains { $0.hasPrefix("From: =?UTF-8?B?") })
        #expect(headers.contains(" tiep-nhan@example.vn"))
        let lines = body.split(separator: "\r\n", omittingEmptySubsequences: true)
        #expect(lines.allSatisfy { $0.count <= 76 })
        let decoded = try #require(Data(base64Encoded: lines.joined()))
        #expect(String(decoding: decoded, as: UTF8.self) == vietnameseBody.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(!text.contains("\n\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func htmlBodyMakesMultipartAlternative() throws {
        var message = vietnameseMessage(html: "<p>Xin chào <b>Án</b></p>")
        message.messageID = "no-brackets@motcua.local"
        let text = MIMEMessage.render(message, boundary: "=_MotCua_test")
        #expect(text.contains("Content-Type: multipart/alternative; boundary=\"=_MotCua_test\"\r\n"))
        #expect(text.contains("Message-ID: <no-brackets@motcua.local>\r\n"))
        #expect(text.contains("--=_MotCua_test\r\nContent-Type: text/plain; charset=utf-8\r\n"))
        #expect(text.contains("--=_MotCua_test\r\nContent-Type: text/html; charset=utf-8\r\n"))
        #expect(text.hasSuffix("--=_MotCua_test--\r\n"))
        let boundaries = (MIMEMessage.makeBoundary(), MIMEMessage.makeBoundary())
        #expect(boundaries.0 != boundaries.1 && boundaries.0.hasPrefix("=_MotCua_") && boundaries.0.count == 41)
    }

    @Test func dataIsDotStuffedWithCRLFAndTerminated() {
        let encoded = String(decoding: SMTPDataEncoder.encode(".a\nb\r\n..c\r.\nd"), as: UTF8.self)
        #expect(encoded == "..a\r\nb\r\n...c\r\n..\r\nd\r\n.\r\n")
        #expect(String(decoding: SMTPDataEncoder.encode("x\r\n"), as: UTF8.self) == "x\r\n.\r\n")
    }

    @Test func multiLineRepliesAreAssembled() throws {
        var parser = SMTPReplyParser()
        #expect(try parser.feed("250-smtp.test Hello") == nil)
        #expect(try parser.feed("250-STARTTLS") == nil)
        #expect(try parser.feed("250-AUTH LOGIN PLAIN") == nil)
        let reply = try #require(try parser.feed("250 HELP"))
        #expect(reply == SMTPReply(code: 250, lines: ["smtp.test Hello", "STARTTLS", "AUTH LOGIN PLAIN", "HELP"]))
        let extensions = SMTPExtensions(ehloReply: reply)
        #expect(extensions.supports("STARTTLS") && extensions.supports("HELP") && !extensions.supports("SMTPUTF8"))
        #expect(extensions.authMechanisms == ["LOGIN", "PLAIN"])
        #expect(try parser.feed("354") == SMTPReply(code: 354, lines: [""]))
        #expect(throws: SMTPError.self) { try parser.feed("hello") }
        #expect(throws: SMTPError.self) { try parser.feed("250_x") }
        var mixed = SMTPReplyParser()
        _ = try mixed.feed("250-a")
        #expect(throws: SMTPError.self) { try mixed.feed("550 b") }
    }

    @Test(arguments: ["a@b.vn\r\nRCPT TO:<evil@x>", "a@b\n", "", "no-at-sign", "a@b@c", "<a@b>", "a b@c", "nguyễn@b.vn"])
    func invalidAddressesAreRejectedBeforeConnecting(address: String) async throws {
        let client = SMTPClient(configuration: configuration(port: 9), logger: testLogger)
        var message = vietnameseMessage()
        message.to.append(EmailAddress(address: address))
        await #expect(throws: SMTPError.invalidAddress(address)) { try await client.send(message) }
    }

    @Test func displayNameWithLineBreakIsRejected() async throws {
        let client = SMTPClient(configuration: configuration(port: 9), logger: testLogger)
        var message = vietnameseMessage()
        message.from.name = "MotCua\r\nBcc: evil@example.com"
        await #expect(throws: SMTPError.invalidAddress("MotCua\r\nBcc: evil@example.com")) {
            try await client.send(message)
        }
    }

    @Test func heloNameWithLineBreakIsRejected() async throws {
        var settings = configuration(port: 9)
        settings.heloName = "motcua.test\r\nRSET"
        let client = SMTPClient(configuration: settings, logger: testLogger)
        await #expect(throws: SMTPError.invalidAddress("motcua.test\r\nRSET")) { try await client.send(vietnameseMessage()) }
    }

    @Test func refusedConnectionIsConnectionFailed() async throws {
        let port = try await freePort()
        let client = SMTPClient(configuration: configuration(port: port), logger: testLogger)
        let error = await #expect(throws: SMTPError.self) { try await client.send(vietnameseMessage()) }
        guard case .connectionFailed = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
    }
}

// MARK: - Against aiosmtpd

@Suite(
    "SMTPClient against aiosmtpd",
    .enabled(if: SMTPTestServer.python != nil, "SMTP_TEST_PYTHON is not set: point it at a python that has aiosmtpd (python3 -m venv .venv && .venv/bin/pip install aiosmtpd && export SMTP_TEST_PYTHON=$PWD/.venv/bin/python)"),
    .serialized,  // each test starts a Python process: one at a time keeps a loaded 2-core machine responsive
    .timeLimit(.minutes(10))
)
struct SMTPClientIntegrationTests {
    @Test func deliversVietnameseMessageToAiosmtpdCLI() async throws {
        let delivered = try await SMTPTestServer.withCLI { server in
            let client = SMTPClient(configuration: configuration(port: server.port), logger: testLogger)
            try await client.send(vietnameseMessage())
            return try await server.delivered()
        }
        let message = try #require(delivered.first)
        #expect(delivered.count == 1)
        #expect(message.subject == vietnameseSubject)
        #expect(message.text == vietnameseBody)
        #expect(message.html == nil)
        #expect(message.contentType == "text/plain")
        #expect(message.from == [.init(name: "Cổng dịch vụ công MotCua", address: "no-reply@motcua.test")])
        #expect(
            message.to == [
                .init(name: "Nguyễn Văn Án", address: "nguyen.van.an@example.vn"),
                .init(name: "", address: "tiep-nhan@example.vn"),
            ])
        #expect(message.mailFrom == "no-reply@motcua.test")
        #expect(message.rcptTo == ["nguyen.van.an@example.vn", "tiep-nhan@example.vn"])
        #expect(message.date == "Tue, 24 Nov 2026 10:00:00 +0000")
        #expect(message.messageID == "<3f2c9a1e-0d5b-4a57-9c1e-motcua@motcua.local>")
        #expect(message.defects == [])
    }

    @Test func deliversMultipartWithLongSubjectWhenTLSIsOnlyOpportunistic() async throws {
        let subject = String(repeating: vietnameseSubject + " / ", count: 4) + "hết"
        let html = "<p>Xin chào <b>Nguyễn Văn Án</b></p>\n<p>.dấu chấm đầu dòng</p>"
        let delivered = try await SMTPTestServer.withCLI { server in
            let client = SMTPClient(
                configuration: configuration(port: server.port, security: .startTLSIfAvailable), logger: testLogger)
            try await client.send(vietnameseMessage(subject: subject, html: html))
            return try await server.delivered()
        }
        let message = try #require(delivered.first)
        #expect(message.subject == subject)
        #expect(message.contentType == "multipart/alternative")
        #expect(message.text == vietnameseBody)
        #expect(message.html == html)
        #expect(message.defects == [])
    }

    @Test func rawDataIsDotStuffedOnTheWire() async throws {
        let body = ".first line starts with a dot\n.\n..two dots\nplain\n . space then dot\n.."
        let raw = """
            From: a@motcua.test
            To: b@example.vn
            Subject: dots
            MIME-Version: 1.0
            Content-Type: text/plain; charset=us-ascii

            \(body)
            """
        let delivered = try await SMTPTestServer.withCLI { server in
            let client = SMTPClient(configuration: configuration(port: server.port), logger: testLogger)
            try await client.send(data: raw, from: "a@motcua.test", to: ["b@example.vn"])
            return try await server.delivered()
        }
        #expect(delivered.first?.text == body + "\n")
    }

    @Test func authPlain() async throws {
        let delivered = try await SMTPTestServer.withHelper(mode: "auth", user: "motcua", password: "mật-khẩu") { server in
            let client = SMTPClient(
                configuration: configuration(port: server.port, username: "motcua", password: "mật-khẩu"),
                logger: testLogger)
            try await client.send(vietnameseMessage())
            return try await server.delivered()
        }
        #expect(delivered.count == 1)
        #expect(delivered.first?.auth == "motcua")
        #expect(delivered.first?.tls == "no")
        #expect(delivered.first?.subject == vietnameseSubject)
    }

    @Test func authLoginWhenPlainIsNotOffered() async throws {
        let delivered = try await SMTPTestServer.withHelper(
            mode: "auth", user: "motcua", password: "secret", mechanisms: "LOGIN"
        ) { server in
            let client = SMTPClient(
                configuration: configuration(port: server.port, username: "motcua", password: "secret"),
                logger: testLogger)
            try await client.send(vietnameseMessage())
            return try await server.delivered()
        }
        #expect(delivered.first?.auth == "motcua")
    }

    @Test func wrongPasswordIs535() async throws {
        let (error, delivered) = try await SMTPTestServer.withHelper(mode: "auth", user: "motcua", password: "right") {
            server in
            let client = SMTPClient(
                configuration: configuration(port: server.port, username: "motcua", password: "wrong"),
                logger: testLogger)
            let error = await #expect(throws: SMTPError.self) { try await client.send(vietnameseMessage()) }
            return (error, try await server.delivered())
        }
        guard case .unexpectedReply(let command, let code, _) = error else {
            Issue.record("expected unexpectedReply, got \(String(describing: error))")
            return
        }
        #expect(code == 535)
        #expect(command == "AUTH PLAIN")  // never the credentials
        #expect(delivered.isEmpty)
    }

    @Test func startTLSThenAuthWithSelfSignedCertificate() async throws {
        let delivered = try await SMTPTestServer.withHelper(mode: "starttls", user: "motcua", password: "secret") {
            server in
            let client = SMTPClient(
                configuration: configuration(
                    port: server.port, security: .startTLS, username: "motcua", password: "secret"),
                logger: testLogger)
            try await client.send(vietnameseMessage())
            return try await server.delivered()
        }
        let message = try #require(delivered.first)
        #expect(message.tls == "yes")
        #expect(message.auth == "motcua")
        #expect(message.subject == vietnameseSubject)
        #expect(message.text == vietnameseBody)
    }

    @Test func startTLSIfAvailableUsesTLSWhenOffered() async throws {
        let delivered = try await SMTPTestServer.withHelper(mode: "starttls") { server in
            let client = SMTPClient(
                configuration: configuration(port: server.port, security: .startTLSIfAvailable), logger: testLogger)
            try await client.send(vietnameseMessage())
            return try await server.delivered()
        }
        #expect(delivered.first?.tls == "yes")
    }

    @Test func startTLSVerifiesTheCertificateByDefault() async throws {
        let (error, delivered) = try await SMTPTestServer.withHelper(mode: "starttls") { server in
            let client = SMTPClient(
                configuration: configuration(port: server.port, security: .startTLS, verifyCertificates: true),
                logger: testLogger)
            let error = await #expect(throws: SMTPError.self) { try await client.send(vietnameseMessage()) }
            return (error, try await server.delivered())
        }
        guard case .connectionFailed(let reason) = error else {
            Issue.record("expected connectionFailed, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("TLS"))
        #expect(delivered.isEmpty)
    }

    @Test func plainTextIsRefusedByAServerThatRequiresSTARTTLS() async throws {
        let error = try await SMTPTestServer.withHelper(mode: "starttls") { server in
            let client = SMTPClient(configuration: configuration(port: server.port, security: .none), logger: testLogger)
            return await #expect(throws: SMTPError.self) { try await client.send(vietnameseMessage()) }
        }
        guard case .unexpectedReply(let command, 530, _) = error else {
            Issue.record("expected 530, got \(String(describing: error))")
            return
        }
        #expect(command == "MAIL FROM:<no-reply@motcua.test>")
    }

    @Test func requiredSTARTTLSMissingIsTLSUnavailable() async throws {
        let (error, delivered) = try await SMTPTestServer.withCLI { server in
            let client = SMTPClient(
                configuration: configuration(port: server.port, security: .startTLS), logger: testLogger)
            let error = await #expect(throws: SMTPError.self) { try await client.send(vietnameseMessage()) }
            return (error, try await server.delivered())
        }
        #expect(error == .tlsUnavailable)
        #expect(delivered.isEmpty)
    }

    @Test func silentServerTimesOut() async throws {
        let (error, elapsed) = try await SMTPTestServer.withHelper(mode: "silent") { server in
            let client = SMTPClient(
                configuration: configuration(port: server.port, timeout: .milliseconds(500)), logger: testLogger)
            let start = ContinuousClock.now
            let error = await #expect(throws: SMTPError.self) { try await client.send(vietnameseMessage()) }
            return (error, ContinuousClock.now - start)
        }
        #expect(error == .timeout)
        #expect(elapsed >= .milliseconds(450) && elapsed < .seconds(5), "took \(elapsed)")
    }

    @Test func cancellationClosesTheConnectionPromptly() async throws {
        let elapsed = try await SMTPTestServer.withHelper(mode: "silent") { server in
            let client = SMTPClient(
                configuration: configuration(port: server.port, timeout: .seconds(30)), logger: testLogger)
            let task = Task { try await client.send(vietnameseMessage()) }
            try await Task.sleep(for: .milliseconds(300))
            let start = ContinuousClock.now
            task.cancel()
            let result = await task.result
            #expect(throws: CancellationError.self) { try result.get() }
            return ContinuousClock.now - start
        }
        #expect(elapsed < .seconds(5), "took \(elapsed)")  // the configured timeout is 30 s
    }
}

// MARK: - Test server

/// One aiosmtpd process owned by one test: started on a free loopback port, stopped by PID.
/// A real SMTP server (aiosmtpd) on loopback for a test; also used by the account mail tests.
struct SMTPTestServer: Sendable {
    static var python: String? {
        guard let path = ProcessInfo.processInfo.environment["SMTP_TEST_PYTHON"], !path.isEmpty,
            FileManager.default.isExecutableFile(atPath: path)
        else { return nil }
        return path
    }

    static let helperScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("smtp_server.py").path

    let process: Process
    let port: Int
    let directory: URL
    var maildir: URL { self.directory.appendingPathComponent("Maildir") }

    struct Delivered: Decodable, Sendable {
        struct Mailbox: Decodable, Equatable, Sendable {
            var name: String
            var address: String
        }
        var subject: String
        var from: [Mailbox]
        var to: [Mailbox]
        var date: String
        var messageID: String
        var contentType: String
        var mailFrom: String
        var rcptTo: [String]
        var tls: String?
        var auth: String?
        var text: String?
        var html: String?
        var defects: [String]
    }

    /// `$SMTP_TEST_PYTHON -m aiosmtpd -n -l 127.0.0.1:PORT -c aiosmtpd.handlers.Mailbox MAILDIR`
    static func withCLI<T>(_ body: (SMTPTestServer) async throws -> T) async throws -> T {
        try await self.with(try await self.startCLI(), body)
    }

    /// `$SMTP_TEST_PYTHON smtp_server.py serve --mode MODE …` (see the script).
    static func withHelper<T>(
        mode: String, user: String? = nil, password: String? = nil, mechanisms: String? = nil,
        _ body: (SMTPTestServer) async throws -> T
    ) async throws -> T {
        try await self.with(
            try await self.startHelper(mode: mode, user: user, password: password, mechanisms: mechanisms), body)
    }

    private static func with<T>(_ server: SMTPTestServer, _ body: (SMTPTestServer) async throws -> T) async throws -> T {
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    private static func makeDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("smtp-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    private static func startCLI() async throws -> SMTPTestServer {
        var lastLog = ""
        for _ in 0..<3 {  // another process may grab the free port first: then try another one
            let directory = try self.makeDirectory()
            let port = try await freePort()
            let process = try self.launch(
                ["-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox",
                 directory.appendingPathComponent("Maildir").path],
                log: directory.appendingPathComponent("server.log"))
            let server = SMTPTestServer(process: process, port: port, directory: directory)
            let deadline = ContinuousClock.now + .seconds(60)
            while process.isRunning && ContinuousClock.now < deadline {
                if await canConnect(port: port) { return server }
                try await Task.sleep(for: .milliseconds(50))
            }
            lastLog = server.log
            await server.stop()
        }
        throw TestServerError("aiosmtpd did not start:\n\(lastLog)")
    }

    private static func startHelper(
        mode: String, user: String?, password: String?, mechanisms: String?
    ) async throws -> SMTPTestServer {
        let directory = try self.makeDirectory()
        let portFile = directory.appendingPathComponent("port")
        var arguments = [
            self.helperScript, "serve", "--mode", mode, "--maildir", directory.appendingPathComponent("Maildir").path,
            "--port-file", portFile.path,
        ]
        if let user { arguments += ["--user", user] }
        if let password { arguments += ["--password", password] }
        if let mechanisms { arguments += ["--mechanisms", mechanisms] }
        let process = try self.launch(arguments, log: directory.appendingPathComponent("server.log"))
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning && ContinuousClock.now < deadline {
            if let text = try? String(contentsOf: portFile, encoding: .utf8), let port = Int(text) {
                return SMTPTestServer(process: process, port: port, directory: directory)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let server = SMTPTestServer(process: process, port: 0, directory: directory)
        let log = server.log
        await server.stop()
        throw TestServerError("smtp_server.py --mode \(mode) did not start:\n\(log)")
    }

    private static func launch(_ arguments: [String], log: URL) throws -> Process {
        guard let python else { throw TestServerError("SMTP_TEST_PYTHON is not set") }
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = output
        try self.runWithUnblockedSignals(process)
        try output.close()
        return process
    }

    /// Async tests run on dispatch worker threads, which block most signals, and `Process` hands the
    /// calling thread's signal mask on to the child: SIGTERM would then stay pending in the server forever.
    /// So spawn with an empty mask (restored right after).
    private static func runWithUnblockedSignals(_ process: Process) throws {
        var none = sigset_t()
        var saved = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        try process.run()
    }

    var log: String {
        (try? String(contentsOf: self.directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
    }

    /// SIGTERM to the server's PID, SIGKILL after 5 s; then removes its directory.
    func stop() async {
        let pid = self.process.processIdentifier
        if self.process.isRunning { kill(pid, SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(5)
        while self.process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if self.process.isRunning {
            kill(pid, SIGKILL)
            while self.process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        }
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// The messages in the Maildir, decoded by Python's `email` package.
    func delivered() async throws -> [Delivered] {
        let out = self.directory.appendingPathComponent("delivered.json")
        let reader = try Self.launch(
            [Self.helperScript, "read", self.maildir.path, out.path], log: self.directory.appendingPathComponent("read.log"))
        while reader.isRunning { try await Task.sleep(for: .milliseconds(20)) }
        guard reader.terminationStatus == 0 else {
            let log = (try? String(contentsOf: self.directory.appendingPathComponent("read.log"), encoding: .utf8)) ?? ""
            throw TestServerError("smtp_server.py read failed:\n\(log)")
        }
        return try JSONDecoder().decode([Delivered].self, from: Data(contentsOf: out))
    }
}

private struct TestServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A loopback port nothing listens on right now.
private func freePort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .bind(host: "127.0.0.1", port: 0).get()
    let port = channel.localAddress?.port
    try await channel.close()
    guard let port else { throw TestServerError("no local port") }
    return port
}

private func canConnect(port: Int) async -> Bool {
    guard
        let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(1)).connect(host: "127.0.0.1", port: port).get()
    else { return false }
    try? await channel.close()
    return true
}

/// Splits rendered RFC 5322 text into its header lines and its body.
private func splitMessage(_ text: String) -> (headers: [String], body: String)? {
    guard let range = text.range(of: "\r\n\r\n") else { return nil }
    return (text[..<range.lowerBound].components(separatedBy: "\r\n"), String(text[range.upperBound...]))
}

/// Decodes a sequence of folded RFC 2047 "B" words (only what MIMEMessage produces).
private func decodeEncodedWords(_ header: String) throws -> [(word: String, text: String)] {
    try header.components(separatedBy: "\r\n").map { $0.trimmingCharacters(in: .whitespaces) }.map { word in
        guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?=") else { throw TestServerError("not a word: \(word)") }
        let payload = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
        let bytes = try #require(Data(base64Encoded: String(payload)))
        let text = try #require(String(data: bytes, encoding: .utf8), "a word must hold whole characters")
        return (word, text)
    }
}
