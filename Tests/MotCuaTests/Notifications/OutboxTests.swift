import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import SQLKit
import Testing

@testable import MotCua

private func smtpSettings(port: Int) -> AppConfiguration.SMTPSettings {
    AppConfiguration.SMTPSettings(host: "127.0.0.1", port: port, username: nil, password: nil, security: "none")
}

/// Waits up to `seconds` for `condition`.
private func eventually(seconds: Double = 45, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return false
}

@Suite(
    "Outbox delivery over real SMTP",
    .enabled(if: SMTPTestServer.python != nil, "SMTP_TEST_PYTHON is not set (scripts/test sets it)"),
    .serialized
)
struct OutboxDeliveryTests {
    @Test("A registration's verification mail reaches a real SMTP server, and its link verifies the account")
    func verificationMailDelivered() async throws {
        try await SMTPTestServer.withCLI { server in
            try await TestEnvironment.withAppAndDatabase(demoData: false, configure: { $0.smtp = smtpSettings(port: server.port) }) { browser, _, database in
                #expect(try await browser.post("/dang-ky", Citizen.form()).status == .ok)
                #expect(try await eventually { try await !server.delivered().isEmpty })
                let message = try #require(try await server.delivered().first)
                #expect(message.subject.contains("Xác thực địa chỉ thư điện tử"))
                #expect(message.rcptTo == ["an.nguyen@example.vn"])
                let text = try #require(message.text)
                let link = try #require(text.firstMatch(of: /\/xac-thuc-email\?ma=([A-Za-z0-9_-]+)/))
                #expect(try await browser.post("/xac-thuc-email", ["ma": String(link.1)]).status == .ok)
                #expect(try await UserStore(database: database).credentials(email: "an.nguyen@example.vn")?.user.emailVerified == true)
                let status = try await Outbox.recent(limit: 5, in: database).first?.status
                #expect(status == .sent)
            }
        }
    }

    @Test("Mail left in the outbox when the process stopped is delivered after a restart")
    func deliveredAfterRestart() async throws {
        try await SMTPTestServer.withCLI { server in
            try await TestEnvironment.withConfiguration(demoData: false) { base in
                // First process: the registration commits with its mail, then the process ends before delivering.
                let opened = try await OpenedDatabase.open(base, logger: TestEnvironment.logger)
                try await opened.whileRunning { database in
                    let dependencies = try await AppDependencies(
                        configuration: base, database: database, metrics: TestEnvironment.metrics, logger: TestEnvironment.logger)
                    try await dependencies.prepare()
                    var form = RegistrationForm()
                    form.fullName = "Trần Thị Bình"; form.citizenID = "001300009999"; form.dateOfBirth = "1988-02-03"
                    form.phone = "0987654321"; form.email = "binh.tran@example.vn"; form.address = "Cần Thơ"
                    form.password = Citizen.password; form.passwordConfirmation = Citizen.password
                    _ = try await dependencies.accounts.register(form)
                    #expect(try await Outbox.recent(limit: 5, in: database).map(\.status) == [.pending])
                }
                // Second process, now with SMTP: delivers what the first one left.
                var configuration = base
                configuration.smtp = smtpSettings(port: server.port)
                let app = try await buildApplication(configuration: configuration, metrics: TestEnvironment.metrics, logger: TestEnvironment.logger)
                let deliveredInTime = try await app.test(.router) { _ async throws -> Bool in
                    try await eventually { try await !server.delivered().isEmpty }
                }
                #expect(deliveredInTime)
                let delivered = try await server.delivered()
                #expect(delivered.count == 1 && delivered[0].rcptTo == ["binh.tran@example.vn"])
            }
        }
    }
}

@Suite(
    "Outbox: permanent failures and slow servers",
    .enabled(if: SMTPTestServer.python != nil, "SMTP_TEST_PYTHON is not set (scripts/test sets it)"),
    .serialized
)
struct OutboxFailureTests {
    private static func mailer(port: Int) -> SMTPMailer {
        SMTPMailer(
            client: SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: port, security: .none, timeout: .seconds(10)),
                               logger: TestEnvironment.logger),
            from: EmailAddress(address: "khong-tra-loi@motcua.local"))
    }

    @Test("A permanent refusal (550) stops the retries at once and shows on the administrator's outbox page")
    func permanentFailure() async throws {
        try await SMTPTestServer.withHelper(mode: "reject") { server in
            try await TestEnvironment.withDependencies(demoData: false) { dependencies in
                let database = dependencies.database
                try await database.transaction { db in
                    try await Outbox.enqueue(to: "khong.co.ai@example.vn", subject: "Thử", body: "Nội dung", in: db)
                }
                let delivery = OutboxDelivery(database: database, mailer: Self.mailer(port: server.port), logger: TestEnvironment.logger,
                                              maxAttempts: 8)
                #expect(try await delivery.deliverDue() == 0)
                let message = try #require(try await Outbox.recent(limit: 1, in: database).first)
                #expect(message.status == .failed && message.attempts == 1 && (message.lastError ?? "").contains("550"))
                #expect(try await Outbox.count(.failed, in: database) == 1)
            }
        }
    }

    @Test("A slow SMTP session renews its claim: a second process does not send the same mail meanwhile", .timeLimit(.minutes(10)))
    func claimRenewed() async throws {
        try await SMTPTestServer.withHelper(mode: "slow") { server in
            try await TestEnvironment.withDependencies(demoData: false) { dependencies in
                let database = dependencies.database
                try await database.transaction { db in
                    try await Outbox.enqueue(to: "cham@example.vn", subject: "Thử chậm", body: "Nội dung", in: db)
                }
                // Two processes sharing one database, with a lease far shorter than the 3 s the server takes.
                let first = OutboxDelivery(database: database, mailer: Self.mailer(port: server.port), logger: TestEnvironment.logger,
                                           claimLease: .seconds(1))
                let second = first
                async let sentByFirst = first.deliverDue()
                try await Task.sleep(for: .milliseconds(1800))
                #expect(try await second.deliverDue() == 0)
                #expect(try await sentByFirst == 1)
                #expect(try await server.delivered().count == 1)
                #expect(try await Outbox.recent(limit: 1, in: database).first?.status == .sent)
            }
        }
    }
}

@Suite("Outbox retries")
struct OutboxRetryTests {
    @Test("A refused connection is retried later with backoff, then marked failed; nothing is lost meanwhile")
    func retriesThenFails() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let database = dependencies.database
            try await database.transaction { db in
                try await Outbox.enqueue(to: "ai.do@example.vn", subject: "Thử", body: "Nội dung", in: db)
            }
            // A real SMTP client pointed at a port where nothing listens.
            let closedPort = try freePort()
            let mailer = SMTPMailer(
                client: SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: closedPort, security: .none, timeout: .seconds(2)),
                                   logger: TestEnvironment.logger),
                from: EmailAddress(address: "khong-tra-loi@motcua.local"))
            let delivery = OutboxDelivery(database: database, mailer: mailer, logger: TestEnvironment.logger, maxAttempts: 3, baseBackoff: .seconds(60))
            #expect(try await delivery.deliverDue() == 0)
            var message = try #require(try await Outbox.recent(limit: 1, in: database).first)
            #expect(message.status == .pending && message.attempts == 1 && message.lastError != nil)
            // Not due again before the backoff has passed.
            #expect(try await delivery.deliverDue() == 0)
            #expect(try await Outbox.recent(limit: 1, in: database).first?.attempts == 1)
            for _ in 0..<2 {
                try await database.transaction { try await $0.raw("UPDATE outbox SET next_attempt_at = 0").run() }
                _ = try await delivery.deliverDue()
            }
            message = try #require(try await Outbox.recent(limit: 1, in: database).first)
            #expect(message.status == .failed && message.attempts == 3)
        }
    }

    @Test("Without SMTP, mail goes to the log and the system administrator reads it in the portal")
    func logModeAndOutboxPage() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, _, database in
            try await browser.post("/dang-ky", Citizen.form())
            let delivered = try await eventually {
                try await Outbox.recent(limit: 1, in: database).first?.status == .sent
            }
            #expect(delivered)
            let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                          publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
            _ = try await accounts.createStaff(email: "admin@example.vn", name: "Quản trị", role: .systemAdmin, agencyCode: nil,
                                              password: "Quan-tri-he-thong-1")
            try await browser.post("/dang-nhap", ["email": "admin@example.vn", "password": "Quan-tri-he-thong-1"])
            let page = try await browser.get("/quan-tri/thu-dien")
            #expect(page.status == .ok && page.text.contains("an.nguyen@example.vn") && page.text.contains("Đã gửi"))
            #expect(page.text.contains("/xac-thuc-email?ma="))
        }
    }
}

func freePort() throws -> Int {
    let socket = try ServerSocketProbe()
    return socket.port
}

/// Binds port 0 to learn a free port, then releases it.
struct ServerSocketProbe {
    let port: Int
    init() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw TestFailure("could not bind a probe socket") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }
}
