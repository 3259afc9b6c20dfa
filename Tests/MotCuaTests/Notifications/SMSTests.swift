import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import MotCua

@Suite("SMS length and numbers")
struct SMSTextTests {
    @Test("Unaccented text goes 160 characters to a segment, 153 when several; Vietnamese with diacritics 70 and 67")
    func segments() {
        #expect(SMSText.segments("") == 0)
        #expect(SMSText.segments(String(repeating: "a", count: 160)) == 1)
        #expect(SMSText.segments(String(repeating: "a", count: 161)) == 2)
        #expect(SMSText.segments(String(repeating: "a", count: 459)) == 3)
        #expect(SMSText.segments(String(repeating: "a", count: 460)) == 4)
        // One character outside the GSM alphabet makes the whole message UCS-2.
        #expect(SMSText.segments("Hồ sơ" + String(repeating: "a", count: 65)) == 1)
        #expect(SMSText.segments("Hồ sơ" + String(repeating: "a", count: 66)) == 2)
        #expect(SMSText.segments(String(repeating: "ệ", count: 201)) == 3)
        #expect(SMSText.segments(String(repeating: "ệ", count: 202)) == 4)
        // The extension table's characters take two septets.
        #expect(SMSText.units("{}") == 4 && SMSText.isGSM("[x]"))
    }

    @Test("A text over three segments is cut to three, with an ellipsis")
    func fitted() {
        let long = String(repeating: "Hồ sơ đã có kết quả. ", count: 20)
        let cut = SMSText.fitted(long)
        #expect(SMSText.segments(cut) == 3 && cut.hasSuffix("…") && long.hasPrefix(String(cut.dropLast())))
        #expect(SMSText.fitted("Ngắn") == "Ngắn")
    }

    @Test("Vietnamese phone numbers go in international form; anything else is not a number")
    func numbers() {
        #expect(SMSText.internationalNumber("0912 345 678") == "84912345678")
        #expect(SMSText.internationalNumber("+84 912-345-678") == "84912345678")
        #expect(SMSText.internationalNumber("0212 3752 630") == "842123752630")
        #expect(SMSText.internationalNumber("") == nil)
        #expect(SMSText.internationalNumber("12345") == nil)
        #expect(SMSText.internationalNumber("chưa có") == nil)
    }
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

private func messages(_ channel: OutboxChannel, in database: any Database) async throws -> [OutboxMessage] {
    try await Outbox.recent(limit: 500, in: database).filter { $0.channel == channel }.reversed()
}

@Suite("SMS through a real HTTP gateway", .serialized)
struct SMSGatewayTests {
    @Test("An applicant with a phone gets each notice by SMS too, through the gateway with its key and sender; the mail still goes")
    func noticesGoBySMS() async throws {
        let inbox = SMSInbox()
        try await SMSGatewayReceiver.run(inbox: inbox) { port in
            try await TestEnvironment.withAppAndDatabase(configure: { $0.sms = SMSGatewayReceiver.settings(port: port) }) { browser, mail, database in
                let citizen = try await APICitizen.make(database, email: "sms.dan@example.vn", citizenID: "001099000777")
                let desk = try await APIStaff.make(database, email: "sms.tiepnhan@example.vn", role: .receptionist)
                let dossier = try await APIFiling.submitted(browser, citizen, database: database)
                let code = try #require(dossier.code)
                #expect(try await APIFiling.act(browser, desk, dossier.id, "accept").status == .ok)
                // Received by the gateway, and marked sent in the outbox (the mark follows the gateway's answer).
                let arrived = try await eventually {
                    try await messages(.sms, in: database).filter { $0.status == .sent }.count == 2
                }
                let sms = try await messages(.sms, in: database)
                try #require(arrived, "SMS in the outbox: \(sms)")
                let received = await inbox.received
                try #require(received.count == 2)
                #expect(received.allSatisfy { $0.to == "84912345678" && $0.from == "SONOIVU" })
                #expect(received[0].text.contains("Đã nhận hồ sơ \(code)"))
                #expect(received[1].text.contains("Hồ sơ \(code) đã được tiếp nhận, hẹn trả kết quả"))
                #expect(received.allSatisfy { SMSText.segments($0.text) <= 3 })
                // Each is one outbox row, marked sent, with the gateway's reference its id.
                #expect(sms.count == 2 && sms.allSatisfy { $0.status == .sent && $0.recipient == "0912345678" })
                #expect(Set(received.map(\.reference)) == Set(sms.map { "motcua-\($0.id)" }))
                #expect(try await mail.messages(to: "sms.dan@example.vn").count == 2)
                #expect(await inbox.refusedWithKey == 0)
            }
        }
    }

    @Test("A gateway that was down gets the message on a later attempt; a 503 is retried; nothing is lost meanwhile")
    func retriedAfterDown() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let database = dependencies.database
            try await database.transaction { try await Outbox.enqueue(OutgoingSMS(to: "0987 654 321", text: "Hồ sơ thử đã có kết quả."), in: $0) }
            // A port a gateway just listened on, now closed: connections are refused.
            let port = try await SMSGatewayReceiver.run(inbox: SMSInbox()) { $0 }
            let delivery = OutboxDelivery(database: database, mailer: LogMailer(logger: TestEnvironment.logger), logger: TestEnvironment.logger,
                                          sms: SMSGatewayReceiver.gateway(port: port), maxAttempts: 5, baseBackoff: .seconds(60))
            // Nothing listens yet: a temporary failure, kept for later.
            #expect(try await delivery.deliverDue() == 0)
            var message = try #require(try await messages(.sms, in: database).first)
            #expect(message.status == .pending && message.attempts == 1 && message.lastError != nil)
            #expect(try await delivery.deliverDue() == 0)  // not before its backoff
            let inbox = SMSInbox(failures: 1)
            try await SMSGatewayReceiver.run(port: port, inbox: inbox) { _ in
                for expected in [0, 1] {
                    try await database.transaction { try await $0.raw("UPDATE outbox SET next_attempt_at = 0").run() }
                    #expect(try await delivery.deliverDue() == expected)
                }
            }
            message = try #require(try await messages(.sms, in: database).first)
            #expect(message.status == .sent && message.attempts == 3)
            let received = await inbox.received
            #expect(received == [SMSInbox.Received(to: "84987654321", from: "SONOIVU", text: "Hồ sơ thử đã có kết quả.",
                                                   reference: "motcua-\(message.id)")])
        }
    }

    @Test("A refusal of the request itself (401, a number that is not one) stops at once and shows as failed")
    func permanentRefusal() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let database = dependencies.database
            try await database.transaction { db in
                try await Outbox.enqueue(OutgoingSMS(to: "0987654321", text: "Sai khóa"), in: db)
                try await Outbox.enqueue(OutgoingSMS(to: "không có số", text: "Không có số"), in: db)
            }
            let inbox = SMSInbox()
            let sent = try await SMSGatewayReceiver.run(inbox: inbox) { port in
                let wrongKey = SMSGateway(settings: SMSGateway.Settings(url: "http://127.0.0.1:\(port)/sms", apiKey: "sai", sender: "SONOIVU"))
                let delivery = OutboxDelivery(database: database, mailer: LogMailer(logger: TestEnvironment.logger), logger: TestEnvironment.logger,
                                              sms: wrongKey, maxAttempts: 5)
                return try await delivery.deliverDue()
            }
            #expect(sent == 0)
            let sms = try await messages(.sms, in: database)
            #expect(sms.count == 2 && sms.allSatisfy { $0.status == .failed && $0.attempts == 1 })
            #expect(sms[0].lastError?.contains("401") == true)
            let refused = await inbox.refusedWithKey
            let received = await inbox.received
            #expect(refused == 1 && received.isEmpty)
        }
    }

    @Test("Two portal processes delivering the same outbox send each SMS exactly once", .timeLimit(.minutes(10)))
    func noDuplicatesWithTwoProcesses() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let database = dependencies.database
            try await database.transaction { db in
                for index in 0..<24 { try await Outbox.enqueue(OutgoingSMS(to: "0912000\(100 + index)", text: "Tin số \(index)"), in: db) }
            }
            let inbox = SMSInbox(delay: .milliseconds(150))
            try await SMSGatewayReceiver.run(inbox: inbox) { port in
                let delivery = OutboxDelivery(database: database, mailer: LogMailer(logger: TestEnvironment.logger), logger: TestEnvironment.logger,
                                              sms: SMSGatewayReceiver.gateway(port: port), claimLease: .seconds(3))
                // Two services, as two processes sharing the database: each round of each races the other for every message.
                async let first = Self.deliverAll(delivery, database: database)
                async let second = Self.deliverAll(delivery, database: database)
                let (a, b) = try await (first, second)
                #expect(a + b == 24)
                #expect(a > 0 && b > 0, "both processes should have delivered some: \(a), \(b)")
            }
            let received = await inbox.received
            #expect(received.count == 24 && Set(received.map(\.reference)).count == 24)
            #expect(try await messages(.sms, in: database).allSatisfy { $0.status == .sent && $0.attempts == 1 })
        }
    }

    private static func deliverAll(_ delivery: OutboxDelivery, database: any Database) async throws -> Int {
        var sent = 0
        while try await Outbox.count(.pending, in: database) > 0 {
            sent += try await delivery.deliverDue(limit: 4)
            try await Task.sleep(for: .milliseconds(20))
        }
        return sent
    }
}
