import Foundation
import Testing

@testable import MotCua

/// The VNPay transaction query (querydr) against the simulator over real HTTP, its signature against Python,
/// and the simulator's return/IPN queries read by the product's `readCallback`.
@Suite("Payments: VNPay transaction query (querydr) and the VNPay simulator", .enabled(if: PaymentPython.available, "python3 is missing"))
struct PaymentVNPayStatusQueryTests {
    typealias Fixture = PaymentVNPayTests

    static let serverIP = "103.9.76.20"
    /// 40 minutes after the attempt was made (10:55:30 in Vietnam): the IPN never came.
    static let now = Fixture.created + 40 * 60 * 1000
    static let query = PaymentStatusQuery(Fixture.examFee, serverIP: serverIP)
    static var reference: String { Fixture.examFee.reference }

    static func gateway(queryURL: String?, secret: String = Fixture.secret) throws -> VNPayGateway {
        VNPayGateway(configuration: try VNPayConfiguration(
            paymentURL: Fixture.base, terminalCode: Fixture.terminal, hashSecret: secret, returnURL: Fixture.returnURL,
            queryURL: queryURL),
            // The simulator runs in this test process: a full parallel suite on a loaded 2-core machine once took
            // more than the product's 10 s to answer it.
            queryTimeout: .seconds(60))
    }

    static func simulator() -> VNPaySimulator {
        VNPaySimulator(terminalCode: Fixture.terminal, secret: Fixture.secret)
    }

    /// A simulator that has taken the exam fee's payment URL: the payer reached VNPay.
    static func simulatorWithOrder() throws -> VNPaySimulator {
        let vnpay = simulator()
        try vnpay.receive(paymentURL: try Fixture.gateway().paymentURL(for: Fixture.examFee))
        return vnpay
    }

    /// Asks the simulator, over HTTP, about the exam fee's attempt.
    static func ask(_ vnpay: VNPaySimulator, secret: String = Fixture.secret) async throws -> PaymentCallback {
        try await vnpay.serve { url in
            try await gateway(queryURL: url, secret: secret).queryStatus(query, at: now)
        }
    }

    // MARK: The request

    @Test("The querydr request sent over HTTP is exactly the body Python builds from the documentation")
    func requestMatchesPython() async throws {
        let vnpay = try Self.simulatorWithOrder()
        _ = try await Self.ask(vnpay)
        _ = try await Self.ask(vnpay)
        let received = vnpay.receivedQueries
        try #require(received.count == 2)
        #expect(received.allSatisfy { $0.signatureValid })
        let first = received[0].fields
        let requestID = try #require(first["vnp_RequestId"])
        #expect(requestID.count == 32 && received[1].fields["vnp_RequestId"] != requestID)
        let python = try PaymentPython.run(PaymentPython.vnpayQueryRequest, [
            "secret": Fixture.secret, "requestId": requestID, "tmn": Fixture.terminal, "ref": Self.reference,
            "info": Fixture.examFee.description, "created": Fixture.created, "now": Self.now, "ip": Self.serverIP,
        ])
        let expected = try JSONDecoder().decode([String: String].self, from: Data(python.utf8))
        #expect(first == expected)
        #expect(first["vnp_TransactionDate"] == "20261206101530" && first["vnp_CreateDate"] == "20261206105530")
        #expect(first["vnp_OrderInfo"] == "Le phi thi tuyen cong chuc, ho so \(Fixture.dossierCode)")
    }

    @Test("statusQueryFields refuses what it cannot send: a bad request id, reference, description or IP")
    func requestRefusals() throws {
        let gateway = try Self.gateway(queryURL: nil)
        #expect(throws: PaymentQueryError.malformed("vnp_RequestId")) {
            try gateway.statusQueryFields(for: Self.query, at: Self.now, requestID: String(repeating: "a", count: 33))
        }
        var query = Self.query
        query.reference = "ref with spaces"
        #expect(throws: PaymentQueryError.malformed("vnp_TxnRef")) {
            try gateway.statusQueryFields(for: query, at: Self.now, requestID: "abc")
        }
        query = Self.query
        query.description = "Lệ phí (thi)"
        #expect(throws: PaymentQueryError.malformed("vnp_OrderInfo")) {
            try gateway.statusQueryFields(for: query, at: Self.now, requestID: "abc")
        }
        query = Self.query
        query.requestIP = "localhost"
        #expect(throws: PaymentQueryError.malformed("vnp_IpAddr")) {
            try gateway.statusQueryFields(for: query, at: Self.now, requestID: "abc")
        }
    }

    @Test("The query URL is checked like the payment URL; without one the gateway still builds payments")
    func queryURLConfiguration() throws {
        #expect(try Self.gateway(queryURL: "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction").configuration.queryURL != nil)
        for bad in ["ftp://sandbox.vnpayment.vn/x", "https://sandbox.vnpayment.vn/api?x=1", "/merchant_webapi", "https://a b.vn/x"] {
            #expect(throws: PaymentRequestError.self) { try Self.gateway(queryURL: bad) }
        }
        #expect(try Self.gateway(queryURL: nil).paymentURL(for: Fixture.examFee).hasPrefix(Fixture.base + "?"))
    }

    // MARK: The answers

    @Test("Paid at VNPay: .paid with the amount, VNPay's transaction number, the bank and the pay date")
    func paid() async throws {
        let vnpay = try Self.simulatorWithOrder()
        try vnpay.settle(Self.reference, as: .success)
        let answer = try await Self.ask(vnpay)
        #expect(answer.outcome == .paid)
        #expect(answer.reference == Self.reference && answer.gateway == .vnpay)
        #expect(answer.amount == Money(dong: 100_000))
        #expect(answer.gatewayTransaction == vnpay.order(Self.reference)?.transactionNo)
        #expect(answer.bankCode == "NCB")
        #expect(answer.paidAt == Fixture.created + 3 * 60 * 1000)
        #expect(answer.gatewayCode == "00/00")
    }

    @Test("The payer is still at VNPay's page: .pending")
    func pending() async throws {
        let answer = try await Self.ask(try Self.simulatorWithOrder())
        #expect(answer.outcome == .pending)
        #expect(answer.gatewayCode == "00/01")
        #expect(answer.gatewayTransaction == nil && answer.paidAt == nil)
    }

    @Test("Cancelled or declined at VNPay: .failed with the transaction status's message")
    func failed() async throws {
        for outcome in [VNPaySimulator.Outcome.cancelled, .declined] {
            let vnpay = try Self.simulatorWithOrder()
            try vnpay.settle(Self.reference, as: outcome)
            let answer = try await Self.ask(vnpay)
            #expect(answer.outcome == .failed("Giao dịch không thành công."))
            #expect(answer.gatewayCode == "00/02")
            #expect(answer.amount == Money(dong: 100_000))
        }
    }

    @Test("Never reached VNPay: 91, .failed(\"Không tìm thấy giao dịch…\")")
    func notFound() async throws {
        let answer = try await Self.ask(Self.simulator())
        #expect(answer.outcome == .failed("Không tìm thấy giao dịch tại cổng thanh toán."))
        #expect(answer.gatewayCode == "91")
        #expect(answer.reference == Self.reference)
        // VNPay finds a transaction by its reference and its day: the right reference with another date is not it.
        let vnpay = try Self.simulatorWithOrder()
        var otherDay = Self.query
        otherDay.createdAt -= 86_400_000
        let asked = otherDay
        let other = try await vnpay.serve { url in try await Self.gateway(queryURL: url).queryStatus(asked, at: Self.now) }
        #expect(other.gatewayCode == "91")
    }

    @Test("A duplicate request (94), another error (99) and a checksum VNPay refuses (97) are refusals, not outcomes")
    func refusals() async throws {
        let vnpay = try Self.simulatorWithOrder()
        vnpay.answerQueries(with: .responseCode("94", message: "Request is duplicate"))
        await #expect(throws: PaymentQueryError.refused(code: "94", message: "Request is duplicate")) {
            try await Self.ask(vnpay)
        }
        vnpay.answerQueries(with: .responseCode("99", message: "Unknown error"))
        await #expect(throws: PaymentQueryError.refused(code: "99", message: "Unknown error")) {
            try await Self.ask(vnpay)
        }
        vnpay.answerQueries(with: nil)
        // Our request signed with another secret: the simulator's own check refuses it ("97", signed with VNPay's
        // secret), and our reading, holding the other secret, cannot verify that answer.
        await #expect(throws: PaymentQueryError.invalidSignature) { try await Self.ask(vnpay, secret: "another-secret-0000") }
        #expect(vnpay.receivedQueries.last?.signatureValid == false)
    }

    @Test("A tampered answer signature is refused before anything is read")
    func tamperedSignature() async throws {
        let vnpay = try Self.simulatorWithOrder()
        try vnpay.settle(Self.reference, as: .success)
        vnpay.answerQueries(with: .badSignature)
        await #expect(throws: PaymentQueryError.invalidSignature) { try await Self.ask(vnpay) }
    }

    @Test("A signed answer about another attempt or from another terminal is refused")
    func foreignAnswer() async throws {
        let vnpay = try Self.simulatorWithOrder()
        try vnpay.settle(Self.reference, as: .success)
        vnpay.answerQueries(with: .otherReference("000.00.12.H13-261206-0002-1"))
        await #expect(throws: PaymentQueryError.malformed("vnp_TxnRef")) { try await Self.ask(vnpay) }
        vnpay.answerQueries(with: .otherTerminal("KHAC0001"))
        await #expect(throws: PaymentQueryError.malformed("vnp_TmnCode")) { try await Self.ask(vnpay) }
    }

    @Test("No query URL configured, or nothing listening: .unreachable")
    func unreachable() async throws {
        func isUnreachable(_ error: PaymentQueryError?) -> Bool {
            if case .unreachable = error { true } else { false }
        }
        let unconfigured = await #expect(throws: PaymentQueryError.self) {
            try await Self.gateway(queryURL: nil).queryStatus(Self.query, at: Self.now)
        }
        #expect(isUnreachable(unconfigured))
        // The simulator's address once it has stopped: a real port with nobody on it.
        // AsyncHTTPClient keeps trying to connect until the deadline, so a short one keeps the test short.
        let stopped = try await Self.simulator().serve { $0 }
        let gateway = VNPayGateway(configuration: try Self.gateway(queryURL: stopped).configuration, queryTimeout: .seconds(2))
        let refused = await #expect(throws: PaymentQueryError.self) {
            try await gateway.queryStatus(Self.query, at: Self.now)
        }
        #expect(isUnreachable(refused))
    }

    @Test("An answer signed by Python with vnp_Amount as a JSON number reads the same; a changed field breaks it")
    func numericAmountFromPython() throws {
        let fields: [String: Any] = [
            "vnp_ResponseId": "4f7c9d2e", "vnp_Command": "querydr", "vnp_ResponseCode": "00",
            "vnp_Message": "QueryDR Success", "vnp_TmnCode": Fixture.terminal, "vnp_TxnRef": Self.reference,
            "vnp_Amount": 10_000_000, "vnp_BankCode": "VCB", "vnp_PayDate": "20261206101845",
            "vnp_TransactionNo": "14812345", "vnp_TransactionType": "01", "vnp_TransactionStatus": "00",
            "vnp_OrderInfo": "Le phi thi tuyen cong chuc, ho so \(Fixture.dossierCode)",
        ]
        let json = try PaymentPython.run(PaymentPython.vnpayQueryAnswer, ["fields": fields, "secret": Fixture.secret])
        let gateway = try Self.gateway(queryURL: nil)
        let answer = try gateway.readStatusAnswer(Data(json.utf8), for: Self.query)
        #expect(answer.outcome == .paid && answer.amount == Money(dong: 100_000) && answer.bankCode == "VCB")
        #expect(answer.paidAt == Fixture.created + 195_000)
        // Other transaction states: money taken under suspicion waits, like readCallback's; the rest failed.
        for (status, outcome) in [("07", PaymentCallback.Outcome.pending),
                                  ("04", .failed(VNPayTransactionStatus.reversed.message)),
                                  ("02", .failed("Giao dịch không thành công."))] {
            var other = fields
            other["vnp_TransactionStatus"] = status
            let signed = try PaymentPython.run(PaymentPython.vnpayQueryAnswer, ["fields": other, "secret": Fixture.secret])
            let read = try gateway.readStatusAnswer(Data(signed.utf8), for: Self.query)
            #expect(read.outcome == outcome && read.gatewayCode == "00/" + status)
        }
        let changed = json.replacingOccurrences(of: "10000000", with: "20000000")
        #expect(throws: PaymentQueryError.invalidSignature) { try gateway.readStatusAnswer(Data(changed.utf8), for: Self.query) }
        #expect(throws: PaymentQueryError.malformed("body")) { try gateway.readStatusAnswer(Data("[]".utf8), for: Self.query) }
    }

    // MARK: The simulator's callbacks, read by the product

    @Test("The simulator remembers the order from the payment URL and refuses a URL whose signature was broken")
    func simulatorReadsPaymentURL() throws {
        let vnpay = Self.simulator()
        let url = try Fixture.gateway().paymentURL(for: Fixture.examFee)
        let order = try vnpay.receive(paymentURL: url)
        #expect(order.reference == Self.reference && order.amount == Money(dong: 100_000))
        #expect(order.createDate == "20261206101530" && order.state == .awaitingPayer)
        #expect(order.orderInfo == "Le phi thi tuyen cong chuc, ho so \(Fixture.dossierCode)")
        #expect(throws: VNPaySimulator.Refusal.invalidSignature) {
            try vnpay.receive(paymentURL: url.replacingOccurrences(of: "vnp_Amount=10000000", with: "vnp_Amount=1000000"))
        }
        #expect(throws: VNPaySimulator.Refusal.foreignTerminal) {
            try VNPaySimulator(terminalCode: "KHAC0001", secret: Fixture.secret).receive(paymentURL: url)
        }
    }

    @Test("The simulator's return/IPN queries: success is paid, cancel and decline failed, with VNPay's codes")
    func callbacksRead() throws {
        let gateway = try Fixture.gateway()
        let vnpay = try Self.simulatorWithOrder()

        let paid = try gateway.readCallback(query: try vnpay.callbackQuery(for: Self.reference, outcome: .success))
        #expect(paid.outcome == .paid && paid.amount == Money(dong: 100_000) && paid.reference == Self.reference)
        #expect(paid.gatewayCode == "00/00" && paid.bankCode == "NCB" && paid.paidAt == Fixture.created + 180_000)

        let cancelled = try gateway.readCallback(query: try vnpay.callbackQuery(for: Self.reference, outcome: .cancelled))
        #expect(cancelled.outcome == .failed(VNPayResponseCode.cancelledByPayer.message))
        #expect(cancelled.gatewayCode == "24/02" && cancelled.gatewayTransaction == nil)

        let declined = try gateway.readCallback(query: try vnpay.callbackQuery(for: Self.reference, outcome: .declined))
        #expect(declined.outcome == .failed(VNPayResponseCode.insufficientFunds.message))
        #expect(vnpay.order(Self.reference)?.state == .settled(.declined))
    }

    @Test("Tampered callbacks: another amount still verifies and carries it; a bad signature, another terminal or currency is refused")
    func tamperedCallbacks() throws {
        let gateway = try Fixture.gateway()
        let vnpay = try Self.simulatorWithOrder()

        let other = try gateway.readCallback(query: try vnpay.callbackQuery(
            for: Self.reference, outcome: .success, tampering: .init(amount: Money(dong: 1_000))))
        #expect(other.outcome == .paid && other.amount == Money(dong: 1_000))
        #expect(vnpay.order(Self.reference)?.amount == Money(dong: 100_000))

        #expect(throws: PaymentCallbackRefusal.invalidSignature) {
            try gateway.readCallback(query: try vnpay.callbackQuery(for: Self.reference, outcome: .success,
                                                                    tampering: .init(badSignature: true)))
        }
        #expect(throws: PaymentCallbackRefusal.foreignMerchant) {
            try gateway.readCallback(query: try vnpay.callbackQuery(for: Self.reference, outcome: .success,
                                                                    tampering: .init(terminalCode: "KHAC0001")))
        }
        #expect(throws: PaymentCallbackRefusal.wrongCurrency) {
            try gateway.readCallback(query: try vnpay.callbackQuery(for: Self.reference, outcome: .success,
                                                                    tampering: .init(currency: "USD")))
        }
    }
}
