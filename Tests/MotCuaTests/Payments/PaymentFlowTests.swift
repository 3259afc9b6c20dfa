import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// Cần Thơ's exam fee (procedure 2.000596, 100.000 đ, charged at submission) paid through the whole portal on
/// SQLite and PostgreSQL: the dossier waits in status 6, the VNPay notification (signed by Python's hmac, an
/// implementation independent of ours) pays it once, tampered or replayed notifications change nothing, the
/// desk confirms transfers and cash, statement lines match by code and amount, and refunds are recorded.
@Suite("Payments: fees on a dossier, VNPay IPN, transfers, receipts and refunds", .enabled(if: PaymentPython.available, "python3 is missing"))
struct PaymentFlowTests {
    static let agency = "000.00.09.H13"
    static let procedure = "2.000596"
    static let terminal = "CANTHO01"
    static let secret = "K8P2QW9ZR4TX7MNB3VCD6FGH5JLA1SEY"

    static let configure: @Sendable (inout AppConfiguration) -> Void = {
        $0.vnpay = [agency: .init(paymentURL: "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html", terminalCode: terminal, hashSecret: secret)]
    }

    /// A citizen of Cần Thơ with a complete draft of the exam procedure, submitted.
    static func submitted(_ dependencies: AppDependencies, email: String = "binh.tran@example.vn") async throws -> (User, Dossier) {
        let applicant = try await dependencies.database.transaction { db in
            try await UserStore.insert(NewUser(
                kind: .individual, email: email, passwordHash: "-", displayName: "Trần Thị Bình",
                citizenID: "0920" + String(abs(email.hashValue) % 100_000_000).padding(toLength: 8, withPad: "0", startingAt: 0),
                phone: "0912345678", address: "Ninh Kiều, Cần Thơ", emailVerified: true), in: db)
        }
        let procedure = try #require(try await dependencies.catalogReader.procedure(agencyCode: agency, code: Self.procedure))
        var values: [String: String] = [:]
        for field in procedure.formFields {
            values[field.key] = switch field.type {
            case .select: field.options?.first
            case .number: "2"
            case .date: "2026-12-01"
            case .email: "binh@example.vn"
            case .phone: "0912345678"
            default: "Ủy ban nhân dân phường Tân An"
            }
        }
        let service = dependencies.dossiers
        let draft = try await service.createDraft(
            applicant: applicant, agencyCode: agency, procedureCode: Self.procedure,
            input: .init(requestSummary: "Dự thi nâng ngạch", values: values, deliveryMethod: .desk, deliveryAddress: nil))
        let file = try await dependencies.fileStore.write(bytes: CatalogFixture.pdfBytes)
        for document in procedure.requiredDocuments where document.mandatory {
            try await service.addAttachment(dossierID: draft.id, applicant: applicant, documentPosition: document.position,
                                            file: file, contentType: "application/pdf", displayName: "giay-to.pdf")
        }
        return (applicant, try await service.submit(dossierID: draft.id, applicant: applicant))
    }

    static func desk(_ dependencies: AppDependencies, email: String = "tn.cantho@example.vn", agency: String = agency) async throws -> User {
        try await dependencies.accounts.createStaff(email: email, name: "Lê Văn Tiếp", role: .receptionist, agencyCode: agency,
                                                   password: "Mot-cua-2026-an-toan").0
    }

    /// The fields of the gateway URL the portal built.
    static func fields(of url: String) throws -> [String: String] {
        let query = try #require(url.split(separator: "?", maxSplits: 1).last)
        return Dictionary(uniqueKeysWithValues: query.split(separator: "&").map {
            let pair = $0.split(separator: "=", maxSplits: 1)
            return (String(pair[0]), String(pair[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "")
        })
    }

    /// What VNPay sends back for an attempt, signed by Python with `secret`.
    static func callback(reference: String, amountHundredths: String, code: String = "00", status: String = "00",
                         transaction: String = "14812345", terminal: String = terminal, secret: String = secret,
                         extra: [String: String] = [:]) throws -> String {
        var parameters = [
            "vnp_Amount": amountHundredths, "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP\(transaction)", "vnp_CardType": "ATM",
            "vnp_OrderInfo": "Nop phi", "vnp_PayDate": "20261206101845", "vnp_ResponseCode": code, "vnp_TmnCode": terminal,
            "vnp_TransactionNo": transaction, "vnp_TransactionStatus": status, "vnp_TxnRef": reference,
        ]
        parameters.merge(extra) { $1 }
        return try PaymentPython.run(PaymentPython.vnpaySignedQuery, ["params": parameters, "secret": secret, "signEmpty": false])
    }

    static func count(_ database: any Database, _ sql: String) async throws -> Int {
        try await database.read { db in try await db.raw("\(unsafeRaw: sql)").first()?.decode(column: "n", as: Int.self) ?? -1 }
    }

    @Test("Submitting the exam procedure charges 100.000 đ and waits in status 6; other procedures go straight to the desk")
    func chargedAtSubmission() async throws {
        try await TestEnvironment.withDependencies(configure: Self.configure) { dependencies in
            let (_, dossier) = try await Self.submitted(dependencies)
            #expect(dossier.status == .feeRequested)
            let payments = try await dependencies.payments.store.payments(dossierID: dossier.id)
            #expect(payments.openCharge?.amount == Money(dong: 100_000))
            #expect(payments.openCharge?.source == .procedure)
            #expect(payments.openCharge?.reason == "Phí dự thi nâng ngạch")
            // The applicant is asked for the fee, by mail and SMS, instead of being told the desk will look.
            let bodies = try await dependencies.database.read { db in
                try await db.raw("SELECT channel, body_text FROM outbox WHERE recipient = 'binh.tran@example.vn' OR recipient LIKE '%912345678' ORDER BY id").all()
                    .map { try $0.decode(column: "channel", as: String.self) + ": " + $0.decode(column: "body_text", as: String.self) }
            }
            #expect(bodies.count == 2)
            #expect(bodies.allSatisfy { $0.contains("100.000 đ (Phí dự thi nâng ngạch)") })
            // Bắc Kạn's fee varies with the number of candidates: charged later by the desk, not at submission.
            let (_, other) = try await ProcessingClockTests.submitted(dependencies)
            #expect(other.status == .registered)
            #expect(try await dependencies.payments.store.payments(dossierID: other.id).isEmpty)
        }
    }

    @Test("The IPN pays once: signed success → 00, status 1, receipt 0001 of the year with its PDF; a replay → 02 and nothing more")
    func notificationPaysOnce() async throws {
        try await TestEnvironment.withDependencies(configure: Self.configure) { dependencies in
            let (applicant, dossier) = try await Self.submitted(dependencies)
            let payments = dependencies.payments
            let url = try await payments.checkout(dossier.id, applicant: applicant, payerIP: "203.162.71.6")
            let fields = try Self.fields(of: url)
            #expect(url.hasPrefix("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?"))
            #expect(fields["vnp_Amount"] == "10000000" && fields["vnp_TmnCode"] == Self.terminal && fields["vnp_CurrCode"] == "VND")
            #expect(fields["vnp_ReturnUrl"] == "http://127.0.0.1:8080/thanh-toan/vnpay/ket-qua")
            let reference = try #require(fields["vnp_TxnRef"])
            let query = try Self.callback(reference: reference, amountHundredths: "10000000")
            #expect(await payments.notify(vnpayQuery: query).body == #"{"RspCode":"00","Message":"Confirm Success"}"#)
            let paid = try #require(try await dependencies.dossiers.store.dossier(id: dossier.id))
            #expect(paid.status == .registered)
            let record = try await payments.store.payments(dossierID: dossier.id)
            #expect(record.openCharge == nil && record.receipts.count == 1 && record.paid == Money(dong: 100_000))
            let receipt = try #require(record.receipts.first)
            #expect(receipt.number == 1 && receipt.method == .vnpay)
            #expect(record.attempts.first?.gatewayTransaction == "14812345")
            // The PDF is drawn on first request, from the recorded values, and kept.
            #expect(receipt.sha256 == nil)
            let drawn = try await payments.store.receipts.pdf(for: receipt)
            #expect(String(buffer: try await dependencies.fileStore.read(sha256: drawn.sha256)).hasPrefix("%PDF-"))
            let kept = try #require(try await payments.store.payments(dossierID: dossier.id).receipts.first)
            #expect(kept.sha256 == drawn.sha256 && kept.size == drawn.size)
            // The same notification again, and twenty at once: answered "already confirmed", nothing added.
            #expect(await payments.notify(vnpayQuery: query).body.contains(#""RspCode":"02""#))
            let answers = await withTaskGroup(of: String.self) { group in
                for _ in 0..<20 { group.addTask { await payments.notify(vnpayQuery: query).body } }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.contains(#""RspCode":"02""#) })
            #expect(try await Self.count(dependencies.database, "SELECT COUNT(*) AS n FROM payment_receipts") == 1)
            #expect(try await Self.count(dependencies.database, "SELECT COUNT(*) AS n FROM dossier_events WHERE action = 'pay'") == 1)
            // The desk now sees it in its queue and accepts it as any other.
            let desk = try await Self.desk(dependencies)
            #expect(try await dependencies.workflow.perform(.accept, on: dossier.id, by: desk, note: "").status == .accepted)
        }
    }

    @Test("The online-payment indicator counts dossiers asked for a fee and those paid through the gateway")
    func onlinePaymentIndicator() async throws {
        try await TestEnvironment.withDependencies(configure: Self.configure) { dependencies in
            let start = Clock.nowMilliseconds() - 1_000
            let (applicant, online) = try await Self.submitted(dependencies)
            let (_, transfer) = try await Self.submitted(dependencies, email: "cuong@example.vn")
            _ = try await Self.submitted(dependencies, email: "dung@example.vn")  // asked, not paid
            let payments = dependencies.payments
            let reference = try #require(try Self.fields(of: try await payments.checkout(online.id, applicant: applicant, payerIP: "1.2.3.4"))["vnp_TxnRef"])
            _ = await payments.notify(vnpayQuery: try Self.callback(reference: reference, amountHundredths: "10000000"))
            _ = try await payments.confirm(transfer.id, staff: try await Self.desk(dependencies), method: .transfer,
                                           amount: Money(dong: 100_000), reference: "FT777", note: "")
            let now = Clock.nowMilliseconds() + 1_000
            let counts = try await StatisticsStore(database: dependencies.database).counts(agencyCode: Self.agency, from: start, before: now, now: now)
            #expect(counts.total.charged == 3 && counts.total.paidOnline == 1)
            let other = try await StatisticsStore(database: dependencies.database).counts(agencyCode: "000.00.07.H52", from: start, before: now, now: now)
            #expect(other.total.charged == 0)
        }
    }

    @Test("Concurrent first notifications of one attempt: exactly one pays, the others say already confirmed")
    func concurrentNotifications() async throws {
        try await TestEnvironment.withDependencies(configure: Self.configure) { dependencies in
            let (applicant, dossier) = try await Self.submitted(dependencies)
            let payments = dependencies.payments
            let reference = try #require(try Self.fields(of: try await payments.checkout(dossier.id, applicant: applicant, payerIP: "1.2.3.4"))["vnp_TxnRef"])
            let query = try Self.callback(reference: reference, amountHundredths: "10000000")
            let answers = await withTaskGroup(of: String.self) { group in
                for _ in 0..<16 { group.addTask { await payments.notify(vnpayQuery: query).body } }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(answers.filter { $0.contains(#""RspCode":"00""#) }.count == 1)
            #expect(answers.filter { $0.contains(#""RspCode":"02""#) }.count == 15)
            #expect(try await Self.count(dependencies.database, "SELECT COUNT(*) AS n FROM payment_receipts") == 1)
        }
    }

    @Test("Tampered notifications are refused with the protocol's code and change nothing: signature, amount, order, terminal, currency")
    func tamperedNotifications() async throws {
        try await TestEnvironment.withDependencies(configure: Self.configure) { dependencies in
            let (applicant, dossier) = try await Self.submitted(dependencies)
            let payments = dependencies.payments
            let reference = try #require(try Self.fields(of: try await payments.checkout(dossier.id, applicant: applicant, payerIP: "1.2.3.4"))["vnp_TxnRef"])
            let good = try Self.callback(reference: reference, amountHundredths: "10000000")
            let cases: [(String, String)] = [
                (try Self.callback(reference: reference, amountHundredths: "10000000", secret: "WRONGSECRETWRONGSECRET00"), "97"),
                (good.replacingOccurrences(of: "vnp_Amount=10000000", with: "vnp_Amount=100000"), "97"),
                (try Self.callback(reference: reference, amountHundredths: "1000000"), "04"),
                (try Self.callback(reference: reference + "9", amountHundredths: "10000000"), "01"),
                (try Self.callback(reference: reference, amountHundredths: "10000000", terminal: "OTHER001"), "97"),
                (try Self.callback(reference: reference, amountHundredths: "10000000", extra: ["vnp_CurrCode": "USD"]), "04"),
                (String(good.prefix { $0 != "&" }), "97"),
                ("", "97"),
            ]
            for (query, code) in cases {
                let body = await payments.notify(vnpayQuery: query).body
                #expect(body.contains(#""RspCode":"\#(code)""#), "\(query.prefix(80)) → \(body)")
            }
            #expect(try await dependencies.dossiers.store.dossier(id: dossier.id)?.status == .feeRequested)
            let record = try await payments.store.payments(dossierID: dossier.id)
            #expect(record.receipts.isEmpty && record.attempts.allSatisfy { $0.state == .pending })
            // The genuine one still pays.
            #expect(await payments.notify(vnpayQuery: good).body.contains(#""RspCode":"00""#))
        }
    }

    @Test("Another agency's terminal, with its own valid secret, cannot settle this agency's attempt (01)")
    func otherAgencyTerminal() async throws {
        try await TestEnvironment.withDependencies(configure: {
            Self.configure(&$0)
            $0.vnpay["000.00.07.H52"] = .init(paymentURL: "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html", terminalCode: "SONLA001",
                                              hashSecret: "SONLASECRETSONLASECRET00")
        }) { dependencies in
            let (applicant, dossier) = try await Self.submitted(dependencies)
            let payments = dependencies.payments
            let reference = try #require(try Self.fields(of: try await payments.checkout(dossier.id, applicant: applicant, payerIP: "1.2.3.4"))["vnp_TxnRef"])
            let foreign = try Self.callback(reference: reference, amountHundredths: "10000000", terminal: "SONLA001", secret: "SONLASECRETSONLASECRET00")
            #expect(await payments.notify(vnpayQuery: foreign).body.contains(#""RspCode":"01""#))
            #expect(try await dependencies.dossiers.store.dossier(id: dossier.id)?.status == .feeRequested)
            #expect(await payments.notify(vnpayQuery: try Self.callback(reference: reference, amountHundredths: "10000000")).body
                .contains(#""RspCode":"00""#))
        }
    }

    @Test("A cancelled payment is recorded as failed with VNPay's reason; the dossier still waits and a new attempt pays")
    func cancelledThenPaid() async throws {
        try await TestEnvironment.withDependencies(configure: Self.configure) { dependencies in
            let (applicant, dossier) = try await Self.submitted(dependencies)
            let payments = dependencies.payments
            let first = try #require(try Self.fields(of: try await payments.checkout(dossier.id, applicant: applicant, payerIP: "1.2.3.4"))["vnp_TxnRef"])
            let cancelled = try Self.callback(reference: first, amountHundredths: "10000000", code: "24", status: "02", transaction: "0")
            #expect(await payments.notify(vnpayQuery: cancelled).body.contains(#""RspCode":"00""#))
            var record = try await payments.store.payments(dossierID: dossier.id)
            #expect(record.attempts.first?.state == .failed && record.attempts.first?.failure?.isEmpty == false)
            #expect(try await dependencies.dossiers.store.dossier(id: dossier.id)?.status == .feeRequested)
            let second = try #require(try Self.fields(of: try await payments.checkout(dossier.id, applicant: applicant, payerIP: "1.2.3.4"))["vnp_TxnRef"])
            #expect(second != first)
            #expect(await payments.notify(vnpayQuery: try Self.callback(reference: second, amountHundredths: "10000000", transaction: "14812399")).body
                .contains(#""RspCode":"00""#))
            record = try await payments.store.payments(dossierID: dossier.id)
            #expect(record.receipts.count == 1 && record.attempts.map(\.state) == [.failed, .paid])
            // Paid: no more attempts.
            await #expect(throws: PaymentError.notAwaitingPayment) {
                _ = try await payments.checkout(dossier.id, applicant: applicant, payerIP: "1.2.3.4")
            }
        }
    }

    @Test("The desk confirms a transfer by its bank number; a wrong amount or a number used before is refused and nothing changes")
    func deskConfirmsTransfer() async throws {
        try await TestEnvironment.withDependencies(configure: Self.configure) { dependencies in
            let (_, first) = try await Self.submitted(dependencies)
            let (_, second) = try await Self.submitted(dependencies, email: "cuong@example.vn")
            let desk = try await Self.desk(dependencies)
            let payments = dependencies.payments
            await #expect(throws: PaymentError.amountMismatch(expected: Money(dong: 100_000), given: Money(dong: 10_000))) {
                _ = try await payments.confirm(first.id, staff: desk, method: .transfer, amount: Money(dong: 10_000), reference: "FT2634012345", note: "")
            }
            let receipt = try await payments.confirm(first.id, staff: desk, method: .transfer, amount: Money(dong: 100_000),
                                                     reference: "FT2634012345", note: "")
            #expect(receipt.number == 1 && receipt.method == .transfer)
            #expect(try await dependencies.dossiers.store.dossier(id: first.id)?.status == .registered)
            await #expect(throws: DossierError.self) {
                _ = try await payments.confirm(second.id, staff: desk, method: .transfer, amount: Money(dong: 100_000), reference: "FT2634012345", note: "")
            }
            #expect(try await dependencies.dossiers.store.dossier(id: second.id)?.status == .feeRequested)
            // Cash needs no bank number; receipts count on.
            #expect(try await payments.confirm(second.id, staff: desk, method: .cash, amount: Money(dong: 100_000), reference: "", note: "").number == 2)
            // Another agency's desk does not see the dossier at all.
            let other = try await Self.desk(dependencies, email: "tn.sonla@example.vn", agency: "000.00.07.H52")
            await #expect(throws: DossierError.notFound) {
                _ = try await payments.confirm(first.id, staff: other, method: .cash, amount: Money(dong: 100_000), reference: "", note: "")
            }
        }
    }

    @Test("A statement matches lines by the dossier code with or without its punctuation and by amount; the rest is listed with the reason; a second import pays nothing twice")
    func statementImport() async throws {
        try await TestEnvironment.withDependencies(configure: Self.configure) { dependencies in
            let (_, a) = try await Self.submitted(dependencies)
            let (_, b) = try await Self.submitted(dependencies, email: "cuong@example.vn")
            let (_, c) = try await Self.submitted(dependencies, email: "dung@example.vn")
            let desk = try await Self.desk(dependencies)
            let codeA = try #require(a.code), codeB = try #require(b.code), codeC = try #require(c.code)
            let compactB = codeB.filter { $0.isLetter || $0.isNumber }.lowercased()
            let csv = """
                Ngày giao dịch;Số bút toán;Số tiền ghi có;Nội dung
                06/12/2026;FT001;100.000;NOP PHI HS \(codeA) TRAN THI BINH
                06/12/2026;FT002;100000;IBFT \(compactB) nop phi
                06/12/2026;FT003;50.000;\(codeC)
                06/12/2026;FT004;100.000;chuyen tien an trua
                06/12/2026;FT005;100.000;000.00.09.H13-990101-0001
                06/12/2026;FT006;abc;\(codeC)
                """
            let importer = StatementImport(database: dependencies.database, receipts: dependencies.payments.store.receipts)
            let report = try await importer.run(csv, staff: desk)
            let outcomes = Dictionary(uniqueKeysWithValues: report.rows.map { ($0.line, $0.outcome) })
            #expect(outcomes[2] == .paid(code: codeA, receipt: "0001/\(OfficeHours.civilDate(of: Clock.nowMilliseconds()).year)"))
            #expect(outcomes[3]?.matched == true)
            #expect(outcomes[4] == .wrongAmount(code: codeC, expected: Money(dong: 100_000)))
            #expect(outcomes[5] == .noCode)
            #expect(outcomes[6] == .unknownCode("000.00.09.H13-990101-0001"))
            if case .unreadable = outcomes[7] {} else { Issue.record("line 7: \(String(describing: outcomes[7]))") }
            #expect(report.matched == 2)
            for dossier in [a, b] { #expect(try await dependencies.dossiers.store.dossier(id: dossier.id)?.status == .registered) }
            #expect(try await dependencies.dossiers.store.dossier(id: c.id)?.status == .feeRequested)
            // The same statement again: the two paid lines are known by their bank numbers.
            let again = try await importer.run(csv, staff: desk)
            #expect(again.matched == 0)
            #expect(again.rows.filter { $0.outcome == .alreadyRecorded(code: codeA) || $0.outcome == .alreadyRecorded(code: codeB) }.count == 2)
            #expect(try await Self.count(dependencies.database, "SELECT COUNT(*) AS n FROM payment_receipts") == 2)
            // A file without the columns is refused as a whole.
            await #expect(throws: PaymentError.self) { _ = try await importer.run("a,b\n1,2", staff: desk) }
        }
    }

    @Test("The desk requests a case-dependent fee; a withdrawn paid dossier is refunded once, with who decided and how")
    func requestedFeeAndRefund() async throws {
        try await TestEnvironment.withDependencies(configure: Self.configure) { dependencies in
            let (filing, dossier) = try await ProcessingClockTests.submitted(dependencies)
            let desk = try await dependencies.accounts.createStaff(email: "tn@example.vn", name: "Hà Thị Tiếp", role: .receptionist,
                                                                  agencyCode: Filing.agency, password: "Mot-cua-2026-an-toan").0
            let workflow = dependencies.workflow
            await #expect(throws: DossierError.self) {
                _ = try await workflow.perform(.requestFee, on: dossier.id, by: desk, input: .init(note: "Phí tuyển dụng"))
            }
            var input = StaffActionInput(note: "Phí tuyển dụng (kỳ thi 120 thí sinh)")
            input.amount = Money(dong: 400_000)
            #expect(try await workflow.perform(.requestFee, on: dossier.id, by: desk, input: input).status == .feeRequested)
            let payments = dependencies.payments
            _ = try await payments.confirm(dossier.id, staff: desk, method: .cash, amount: Money(dong: 400_000), reference: "", note: "")
            #expect(try await dependencies.dossiers.store.dossier(id: dossier.id)?.status == .registered)
            let receipt = try #require(try await payments.store.payments(dossierID: dossier.id).receipts.first)
            // Not refundable while the dossier goes on.
            await #expect(throws: PaymentError.notRefundable) {
                try await payments.refund(dossier.id, receiptID: receipt.id, staff: desk, method: .cash, reference: "", reason: "Thử")
            }
            _ = try await dependencies.dossiers.withdraw(dossierID: dossier.id, applicant: filing.applicant, reason: "Không dự thi nữa")
            try await payments.refund(dossier.id, receiptID: receipt.id, staff: desk, method: .transfer, reference: "FT-HOAN-01",
                                      reason: "Người nộp rút hồ sơ; Trưởng bộ phận đồng ý hoàn trả")
            await #expect(throws: PaymentError.alreadyRefunded) {
                try await payments.refund(dossier.id, receiptID: receipt.id, staff: desk, method: .cash, reference: "", reason: "Lần hai")
            }
            let record = try await payments.store.payments(dossierID: dossier.id)
            #expect(record.refunds.count == 1 && record.refunds[0].decidedByName == "Hà Thị Tiếp" && record.refunds[0].method == .transfer)
            #expect(record.refunded == Money(dong: 400_000))
        }
    }
}

/// Attempts whose notification never came, settled by asking the gateway (VNPay's querydr) over real HTTP,
/// against the simulator of the tests.
@Suite("Payments: reconciliation by querydr when the IPN never arrives")
struct PaymentReconciliationTests {
    @Test("An IPN that never came: the query finds the payment and pays the dossier once; an abandoned attempt fails only after it expired")
    func reconciles() async throws {
        let vnpay = VNPaySimulator(terminalCode: PaymentFlowTests.terminal, secret: PaymentFlowTests.secret)
        try await vnpay.serve { queryURL in
            try await TestEnvironment.withDependencies(configure: {
                $0.vnpay = [PaymentFlowTests.agency: .init(paymentURL: "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html", queryURL: queryURL,
                                                           terminalCode: PaymentFlowTests.terminal, hashSecret: PaymentFlowTests.secret)]
            }) { dependencies in
                let (applicant, paid) = try await PaymentFlowTests.submitted(dependencies)
                let (other, abandoned) = try await PaymentFlowTests.submitted(dependencies, email: "cuong@example.vn")
                let (third, unfinished) = try await PaymentFlowTests.submitted(dependencies, email: "dung@example.vn")
                let payments = dependencies.payments
                let start = Clock.nowMilliseconds()
                let paidURL = try await payments.checkout(paid.id, applicant: applicant, payerIP: "1.2.3.4", at: start)
                let abandonedURL = try await payments.checkout(abandoned.id, applicant: other, payerIP: "1.2.3.4", at: start)
                _ = abandonedURL  // the payer never reached VNPay: it knows nothing of this one
                let unfinishedURL = try await payments.checkout(unfinished.id, applicant: third, payerIP: "1.2.3.4", at: start)
                let order = try vnpay.receive(paymentURL: paidURL)
                _ = try vnpay.receive(paymentURL: unfinishedURL)  // reached VNPay's page, never paid
                try vnpay.settle(order.reference, as: .success)  // paid at VNPay; the IPN is lost
                let reconciliation = dependencies.paymentReconciliation
                // Too early to ask: nothing happens.
                #expect(try await reconciliation.reconcile(now: start + 60_000) == 0)
                #expect(vnpay.receivedQueries.isEmpty)
                // Six minutes on: the paid one is settled; the abandoned one is unknown but not expired yet.
                #expect(try await reconciliation.reconcile(now: start + 6 * 60_000) == 1)
                #expect(try await dependencies.dossiers.store.dossier(id: paid.id)?.status == .registered)
                #expect(try await payments.store.payments(dossierID: paid.id).receipts.count == 1)
                #expect(try await payments.store.payments(dossierID: abandoned.id).attempts.first?.state == .pending)
                #expect(vnpay.receivedQueries.allSatisfy(\.signatureValid) && vnpay.receivedQueries.count == 3)
                // Past its expiry: the abandoned attempt fails; the unfinished one is given 15 minutes more.
                #expect(try await reconciliation.reconcile(now: start + 20 * 60_000) == 1)
                #expect(try await payments.store.payments(dossierID: unfinished.id).attempts.first?.state == .pending)
                #expect(try await reconciliation.reconcile(now: start + 31 * 60_000) == 1)
                #expect(try await payments.store.payments(dossierID: unfinished.id).attempts.first?.state == .failed)
                let attempt = try #require(try await payments.store.payments(dossierID: abandoned.id).attempts.first)
                #expect(attempt.state == .failed && attempt.failure == "Không tìm thấy giao dịch tại cổng thanh toán.")
                #expect(try await dependencies.dossiers.store.dossier(id: abandoned.id)?.status == .feeRequested)
                // The late IPN of the paid one changes nothing more.
                let late = try vnpay.callbackQuery(for: order.reference, outcome: .success)
                #expect(await payments.notify(vnpayQuery: late).body.contains(#""RspCode":"02""#))
                #expect(try await reconciliation.reconcile(now: start + 40 * 60_000) == 0)
            }
        }
    }
}

@Suite("Payments: the receipt PDF")
struct PaymentReceiptPDFTests {
    @Test("pdftotext reads the receipt's title, number, payer with diacritics, amount, method and dossier code",
          .enabled(if: ExternalTool.has("pdftotext"), "pdftotext is missing: apt-get install poppler-utils (scripts/test does)"))
    func receiptText() throws {
        let slip = PaymentReceiptSlip(
            heading: SlipHeading(agencyName: "SỞ NỘI VỤ THÀNH PHỐ CẦN THƠ", place: "Cần Thơ", slipNumber: "0007/2026",
                                 dossierCode: "000.00.09.H13-261206-0003", issuedAt: 1_796_526_930_000, layoutVersion: "v1",
                                 lookupURL: "https://dichvucong.example.gov.vn/tra-cuu?ma=000.00.09.H13-261206-0003"),
            payerName: "Trần Thị Bình", procedureName: "Nâng ngạch lương công chức cấp xã", description: "Phí dự thi nâng ngạch",
            amount: Money(dong: 100_000), method: PaymentMethod.vnpay.label, transaction: "14812345", paidAt: 1_796_526_930_000,
            collectorName: "")
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = try scratch.write(try SlipRenderer(fonts: try PDFFonts.bundled()).paymentReceipt(slip), to: "bien-lai.pdf")
        let result = try ExternalTool.run("pdftotext", ["-layout", path, "-"])
        #expect(result.status == 0, "\(result.errors)")
        let text = result.output.precomposedStringWithCanonicalMapping
        for expected in ["BIÊN LAI THU PHÍ, LỆ PHÍ", "0007/2026", "Trần Thị Bình", "100.000 đ", "Trực tuyến qua VNPay", "14812345",
                         "000.00.09.H13-261206-0003", "Phí dự thi nâng ngạch", "SỞ NỘI VỤ THÀNH PHỐ CẦN THƠ"] {
            #expect(text.contains(expected), "missing \(expected) in:\n\(text)")
        }
    }
}

@Suite("Payments: reading bank statements")
struct BankStatementTests {
    @Test("Codes are found with or without punctuation and case, the day's number read at its own length first")
    func codes() {
        #expect(BankStatement.dossierCodes(in: "NOP PHI HS 000.00.09.H13-261206-0001 TRAN THI BINH") == ["000.00.09.H13-261206-0001"])
        #expect(BankStatement.dossierCodes(in: "IBFT 0000009h132612060001 nop phi") == ["000.00.09.H13-261206-0001"])
        #expect(BankStatement.dossierCodes(in: "000 00 09 H13 261206 0001") == ["000.00.09.H13-261206-0001"])
        // The 12 345th dossier of a day: its own reading first, the shorter one after.
        #expect(BankStatement.dossierCodes(in: "ck 000.00.09.H13-261101-12345") == ["000.00.09.H13-261101-12345", "000.00.09.H13-261101-1234"])
        #expect(BankStatement.dossierCodes(in: "chuyen tien an trua 100000").isEmpty)
    }

    @Test("CSV: quoted fields with commas and doubled quotes, semicolons, a byte-order mark, CRLF")
    func csv() throws {
        let text = "\u{FEFF}Số tiền;Nội dung;Số bút toán\r\n\"100.000\";\"NOP \"\"PHI\"\"; HS\";FT1\r\n50000;x;FT2\r\n"
        let (lines, problems) = try BankStatement.read(text)
        #expect(problems.isEmpty)
        #expect(lines.map(\.amount) == [Money(dong: 100_000), Money(dong: 50_000)])
        #expect(lines.first?.note == "NOP \"PHI\"; HS" && lines.first?.reference == "FT1")
    }
}
