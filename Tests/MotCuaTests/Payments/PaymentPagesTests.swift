import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// The payment pages through HTTP: the applicant's dossier and payment pages (VietQR and the online button),
/// checkout to the gateway, the browser return that shows what was recorded (never what the browser claims),
/// the IPN endpoint, receipts as PDF, and the desk's panel and statement import.
@Suite("Payments: pages and the IPN endpoint", .enabled(if: PaymentPython.available, "python3 is missing"))
struct PaymentPagesTests {
    @Test("Pay Cần Thơ's exam fee online: payment page with VietQR, checkout, return before and after the IPN, receipt PDF; the desk sees the receipt")
    func onlineJourney() async throws {
        try await TestEnvironment.withAppAndDatabase(configure: PaymentFlowTests.configure) { browser, mail, database in
            try await Citizen.registerAndSignIn(browser, mail: mail)
            let applicant = try #require(try await UserStore(database: database).credentials(email: "an.nguyen@example.vn")?.user)
            let dossier = try await Self.submit(for: applicant, database: database)
            let code = try #require(dossier.code)
            var page = String(buffer: try await browser.get("/ho-so/\(dossier.id)").body)
            #expect(page.contains("Phải nộp <strong>100.000 đ</strong>") && page.contains("href=\"/ho-so/\(dossier.id)/thanh-toan\""))
            let payment = try await browser.get("/ho-so/\(dossier.id)/thanh-toan")
            page = String(buffer: payment.body)
            #expect(payment.status == .ok)
            // Browsers apply form-action to the POST's redirect: the page allows its gateway, and no other page does.
            #expect(payment.headers[.contentSecurityPolicy]?.contains("form-action 'self' https://sandbox.vnpayment.vn;") == true)
            #expect(try await browser.get("/ho-so/\(dossier.id)").headers[.contentSecurityPolicy]?.contains("form-action 'self';") == true)
            #expect(page.contains("7300201004417") && page.contains("<strong>\(code)</strong>") && page.contains("<svg"))
            #expect(page.contains("class=\"lookup-qr\""))
            #expect(page.contains("Thanh toán 100.000 đ qua VNPay"))
            // Checkout: to the gateway, with an attempt recorded.
            let checkout = try await browser.post("/ho-so/\(dossier.id)/thanh-toan/truc-tuyen", [:])
            #expect(checkout.status == .seeOther)
            let location = try #require(checkout.headers[.location])
            #expect(location.hasPrefix("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html?"))
            let reference = try #require(try PaymentFlowTests.fields(of: location)["vnp_TxnRef"])
            let query = try PaymentFlowTests.callback(reference: reference, amountHundredths: "10000000")
            // The browser comes back before the IPN: the page says it waits, whatever the query claims.
            page = String(buffer: try await browser.get("/thanh-toan/vnpay/ket-qua?" + query).body)
            #expect(page.contains("Đang chờ xác nhận thanh toán"))
            #expect(try await Self.status(dossier.id, database) == .feeRequested)
            // A forged return is refused.
            let forged = try await browser.get("/thanh-toan/vnpay/ket-qua?" + query.replacingOccurrences(of: "vnp_ResponseCode=00", with: "vnp_ResponseCode=24"))
            #expect(forged.status == .badRequest)
            // A broken escape is answered in VNPay's terms too (the portal's 400 for bad queries does not apply).
            let broken = try await browser.client.execute(uri: "/api/v1/payments/vnpay/ipn?vnp_TmnCode=CANTHO01&vnp_TxnRef=%ff%fe", method: .get)
            #expect(broken.status == .ok && String(buffer: broken.body).contains(#""RspCode":"9"#))
            // The IPN, from the gateway (no session), through the router.
            let ipn = try await browser.client.execute(uri: "/api/v1/payments/vnpay/ipn?" + query, method: .get)
            #expect(ipn.status == .ok && ipn.headers[.contentType] == "application/json")
            #expect(String(buffer: ipn.body) == #"{"RspCode":"00","Message":"Confirm Success"}"#)
            page = String(buffer: try await browser.get("/thanh-toan/vnpay/ket-qua?" + query).body)
            #expect(page.contains("Thanh toán thành công") && page.contains("href=\"/ho-so/\(dossier.id)\""))
            page = String(buffer: try await browser.get("/ho-so/\(dossier.id)").body)
            let receiptPath = try #require(page.firstMatch(of: /href="(\/ho-so\/\d+\/bien-lai\/\d+)"/)?.output.1)
            let pdf = try await browser.get(String(receiptPath))
            #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf")
            #expect(String(buffer: pdf.body).hasPrefix("%PDF-"))
            // Paid: the payment page is closed.
            #expect(try await browser.get("/ho-so/\(dossier.id)/thanh-toan").status == .conflict)
            // Another citizen sees none of it.
            try await browser.post("/dang-xuat", [:])
            try await Citizen.registerAndSignIn(browser, mail: mail, email: "khac@example.vn", citizenID: "001203009999")
            #expect(try await browser.get(String(receiptPath)).status == .notFound)
            #expect(try await browser.get("/ho-so/\(dossier.id)/thanh-toan").status == .notFound)
            // The desk: the panel lists the receipt; the statement page renders and reads an upload.
            try await browser.post("/dang-xuat", [:])
            let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                          publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
            _ = try await accounts.createStaff(email: "tn.ct@example.vn", name: "Lê Văn Tiếp", role: .receptionist,
                                               agencyCode: PaymentFlowTests.agency, password: "Tiep-nhan-2026-x")
            try await browser.post("/dang-nhap", ["email": "tn.ct@example.vn", "password": "Tiep-nhan-2026-x"])
            page = String(buffer: try await browser.get("/mot-cua/ho-so/\(dossier.id)").body)
            #expect(page.contains("Biên lai số") && page.contains("0001/"))
            #expect(try await browser.get("/mot-cua/sao-ke").status == .ok)
            let upload = try await browser.upload("/mot-cua/sao-ke", fileName: "sao-ke.csv",
                                                  bytes: Array("Số tiền,Nội dung,Số bút toán\n100000,\(code),FT1\n".utf8))
            #expect(upload.status == .ok)
            #expect(String(buffer: upload.body).contains("Đã ghi nhận 0 khoản nộp; 1 dòng không khớp"))
        }
    }

    @Test("The desk's payment forms: a wrong amount shows the message and changes nothing; a transfer confirmed with its bank number pays")
    func deskForms() async throws {
        try await TestEnvironment.withAppAndDatabase(configure: PaymentFlowTests.configure) { browser, mail, database in
            try await Citizen.registerAndSignIn(browser, mail: mail)
            let applicant = try #require(try await UserStore(database: database).credentials(email: "an.nguyen@example.vn")?.user)
            let dossier = try await Self.submit(for: applicant, database: database)
            try await browser.post("/dang-xuat", [:])
            let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                          publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
            _ = try await accounts.createStaff(email: "tn.ct@example.vn", name: "Lê Văn Tiếp", role: .receptionist,
                                               agencyCode: PaymentFlowTests.agency, password: "Tiep-nhan-2026-x")
            try await browser.post("/dang-nhap", ["email": "tn.ct@example.vn", "password": "Tiep-nhan-2026-x"])
            var page = String(buffer: try await browser.get("/mot-cua/ho-so/\(dossier.id)").body)
            #expect(page.contains("Xác nhận đã nộp phí") && page.contains("value=\"100000\""))
            let wrong = try await browser.post("/mot-cua/ho-so/\(dossier.id)/nop-phi", ["method": "transfer", "amount": "10.000", "reference": "FT9"])
            #expect(wrong.status == .unprocessableContent)
            #expect(String(buffer: wrong.body).contains("không khớp với số phải nộp 100.000 đ"))
            let noNumber = try await browser.post("/mot-cua/ho-so/\(dossier.id)/nop-phi", ["method": "transfer", "amount": "100.000"])
            #expect(noNumber.status == .unprocessableContent)
            #expect(try await Self.status(dossier.id, database) == .feeRequested)
            let done = try await browser.post("/mot-cua/ho-so/\(dossier.id)/nop-phi", ["method": "transfer", "amount": "100.000 đ", "reference": "FT26340001"])
            #expect(done.status == .seeOther)
            page = String(buffer: try await browser.get(try #require(done.headers[.location])).body)
            #expect(page.contains("Đã ghi nhận nộp phí và lập biên lai"))
            #expect(try await Self.status(dossier.id, database) == .registered)
        }
    }

    static func status(_ id: Int64, _ database: any Database) async throws -> DossierStatus? {
        try await DossierStore(database: database).dossier(id: id)?.status
    }

    /// Files and submits Cần Thơ's exam procedure for `applicant` on the app's database.
    static func submit(for applicant: User, database: any Database) async throws -> Dossier {
        let catalog = CatalogReader(repository: SQLCatalogRepository(database: database))
        let service = DossierService(database: database, catalog: catalog, publicURL: "http://127.0.0.1:8080",
                                     limits: UploadLimits(maxFileBytes: 1 << 20, maxDossierBytes: 1 << 22), officeHours: .standard)
        let procedure = try #require(try await catalog.procedure(agencyCode: PaymentFlowTests.agency, code: PaymentFlowTests.procedure))
        var values: [String: String] = [:]
        for field in procedure.formFields { values[field.key] = field.options?.first ?? (field.type == .number ? "2" : "Phường Tân An") }
        let draft = try await service.createDraft(
            applicant: applicant, agencyCode: PaymentFlowTests.agency, procedureCode: PaymentFlowTests.procedure,
            input: .init(requestSummary: "Dự thi nâng ngạch", values: values, deliveryMethod: .desk, deliveryAddress: nil))
        let file = StoredFile(sha256: String(repeating: "a", count: 64), size: 100)
        for document in procedure.requiredDocuments where document.mandatory {
            try await service.addAttachment(dossierID: draft.id, applicant: applicant, documentPosition: document.position,
                                            file: file, contentType: "application/pdf", displayName: "giay-to.pdf")
        }
        return try await service.submit(dossierID: draft.id, applicant: applicant)
    }
}
