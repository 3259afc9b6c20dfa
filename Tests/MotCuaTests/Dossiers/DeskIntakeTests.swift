import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// Walk-in and postal dossiers: the desk registers a paper dossier for an applicant without an account, scans
/// its documents, registers it (code, same life cycle and slips), and the applicant later finds it in their list.
@Suite("Paper dossiers at the desk")
struct DeskIntakeTests {
    static let password = "Mot-cua-2026-an-toan"

    static func signIn(_ browser: BrowserClient, _ email: String, password: String = DeskIntakeTests.password) async throws {
        try await browser.post("/dang-xuat", [:])
        #expect(try await browser.post("/dang-nhap", ["email": email, "password": password]).status == .seeOther, "sign in \(email)")
    }

    static func form(_ overrides: [String: String] = [:]) -> [String: String] {
        [
            "procedure": "1.005384", "channel": "1", "kind": "individual", "name": "Lò Văn Pọm", "id_number": "014099000777",
            "phone": "0912 345 678", "address": "Bản Phiêng, Sơn La", "email": "lo.van.pom@example.vn", "summary": "",
            "delivery_method": "post", "delivery_address": "Bản Phiêng, xã Chiềng Cơi, Sơn La",
        ].merging(overrides) { $1 }
    }

    @Test("Bad entries are refused beside their field with nothing saved; a complete one is scanned, registered, accepted and claimed")
    func walkIn() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                          publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
            _ = try await accounts.createStaff(email: "tn@example.vn", name: "Cán bộ tiếp nhận", role: .receptionist,
                                               agencyCode: "000.00.08.H06", password: Self.password, unitName: ProcessStep.receptionUnit)
            _ = try await accounts.createStaff(email: "cv@example.vn", name: "Chuyên viên", role: .processor,
                                               agencyCode: "000.00.08.H06", password: Self.password, unitName: "Phòng Công chức, viên chức")
            let count = { (table: String) in
                try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? 0 }
            }
            let users = try await count("users")

            // A processor may not register paper dossiers.
            try await Self.signIn(browser, "cv@example.vn")
            #expect(try await browser.get("/mot-cua/tiep-nhan-ho-so-giay").status == .forbidden)

            try await Self.signIn(browser, "tn@example.vn")
            #expect(try await browser.get("/mot-cua").text.contains("Tiếp nhận hồ sơ giấy"))
            for (field, bad, message) in [("id_number", "01409900077", "12 chữ số"), ("phone", "12345", "10 chữ số"),
                                          ("email", "khong-phai-thu", "không hợp lệ"), ("procedure", "9.999999", "chọn thủ tục")] {
                let refused = try await browser.post("/mot-cua/tiep-nhan-ho-so-giay", Self.form([field: bad]))
                #expect(refused.status == .unprocessableContent && refused.text.contains(message), "\(field)")
                #expect(refused.text.contains("Lò Văn Pọm"), "the typed values are kept")
            }
            let usersAfter = try await count("users")
            let dossiers = try await count("dossiers")
            #expect(usersAfter == users && dossiers == 0)

            let started = try await browser.post("/mot-cua/tiep-nhan-ho-so-giay", Self.form())
            #expect(started.status == .seeOther)
            let path = try #require(started.headers[.location]).split(separator: "?").first.map(String.init) ?? ""
            let id = try #require(Int64(path.split(separator: "/").last ?? ""))
            var page = try await browser.get(path)
            #expect(page.status == .ok && page.text.contains("/quet/1?_csrf=") && page.text.contains("value=\"register\""))
            // Registering before every mandatory document is scanned is refused with their names.
            let early = try await browser.post("\(path)/xu-ly", ["action": "register"])
            #expect(early.status == .unprocessableContent && early.text.contains("Chưa quét giấy tờ bắt buộc"))
            // A scan that is not PDF/JPG/PNG is refused; PDFs are kept.
            let token = try #require(page.text.firstMatch(of: /\/quet\/1\?_csrf=([A-Za-z0-9_-]+)/).map { String($0.1) })
            let html = try await browser.upload("\(path)/quet/1?_csrf=\(token)", fileName: "trang.html", bytes: Array("<html></html>".utf8))
            #expect(html.status.code >= 400 && html.status.code < 500)
            let procedure = try #require(try await CatalogReader(repository: SQLCatalogRepository(database: database))
                .procedure(agencyCode: "000.00.08.H06", code: "1.005384"))
            for document in procedure.requiredDocuments where document.mandatory {
                let scanned = try await browser.upload("\(path)/quet/\(document.position + 1)?_csrf=\(token)", fileName: "ban-quet.pdf",
                                                       bytes: FilingJourneyTests.pdf)
                #expect(scanned.status == .seeOther)
            }
            #expect(try await browser.post("\(path)/xu-ly", ["action": "register"]).status == .seeOther)
            let registered = try #require(try await DossierStore(database: database).dossier(id: id))
            #expect(registered.status == .registered && registered.channel == .desk && registered.code != nil)
            #expect(registered.applicantName == "Lò Văn Pọm" && registered.applicantIDNumber == "014099000777")
            #expect(try await mail.messages(to: "lo.van.pom@example.vn").contains { $0.bodyText.contains(registered.code!) })
            // The same life cycle: the desk accepts, slip 01 is issued.
            #expect(try await browser.post("\(path)/xu-ly", ["action": "accept"]).status == .seeOther)
            page = try await browser.get(path)
            #expect(page.text.contains("Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)"))
            // Searchable by ID number.
            #expect(try await browser.get("/mot-cua?hang-doi=tat-ca&nguoi-nop=014099000777").text.contains(registered.code!))

            // The same person comes again: the same walk-in applicant, not a second one.
            _ = try await browser.post("/mot-cua/tiep-nhan-ho-so-giay", Self.form(["channel": "3", "phone": "0987654321"]))
            let walkIns = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM users WHERE walk_in = \(bind: true)").first()?.decode(column: "n", as: Int.self) ?? 0
            }
            #expect(walkIns == 1)

            // Later the person registers with the same ID number and e-mail, verifies it, and finds the dossier as theirs.
            let citizen = try await database.transaction { db in
                try await UserStore.insert(NewUser(kind: .individual, email: "lo.van.pom@example.vn", passwordHash: "-", displayName: "Lò Văn Pọm",
                                                   citizenID: "014099000777", phone: "0912345678", address: "Sơn La"), in: db)
            }
            let verify = try await database.transaction { db in try await AccountTokens.issue(userID: citizen.id, purpose: .verifyEmail, in: db) }
            #expect(try await accounts.verifyEmail(token: verify))
            let theirs = try await DossierStore(database: database).summaries(applicantID: citizen.id, limit: 10).items.map(\.id)
            #expect(theirs.contains(id))
        }
    }

    @Test("The desk answers a supplement request for a paper dossier (its applicant has no account), never for an online one")
    func deskAnswersSupplement() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let office = try await ProcessingClockTests.Office.make(dependencies)
            let intake = dependencies.workflow.intake
            var applicant = DeskIntake.Applicant()
            applicant.name = "Lò Thị Xuân"; applicant.idNumber = "014099000888"; applicant.phone = "0912345678"; applicant.address = "Sơn La"
            var request = DeskIntake.Request()
            request.procedureCode = Filing.procedure
            let draft = try await intake.start(by: office.desk, applicant: applicant, request: request)
            let procedure = try #require(try await dependencies.catalogReader.procedure(agencyCode: Filing.agency, code: Filing.procedure))
            let file = try await dependencies.fileStore.write(bytes: CatalogFixture.pdfBytes)
            for document in procedure.requiredDocuments where document.mandatory {
                try await dependencies.dossiers.store.addAttachment(
                    dossierID: draft.id, position: document.position, file: file, contentType: "application/pdf", displayName: "quet.pdf",
                    kind: .applicant, maxDossierBytes: .max, maxFileBytes: .max)
            }
            let registered = try await intake.register(draft.id, by: office.desk)
            #expect(registered.channel == .desk && registered.status == .registered)
            _ = try await dependencies.workflow.perform(.requestSupplement, on: draft.id, by: office.desk, input: .init(note: "Thiếu ảnh."))
            let answered = try await dependencies.workflow.perform(.supplement, on: draft.id, by: office.desk, input: .init())
            #expect(answered.status == .registered)

            // An online dossier's supplement is the applicant's own.
            let (_, online) = try await ProcessingClockTests.submitted(dependencies)
            _ = try await dependencies.workflow.perform(.requestSupplement, on: online.id, by: office.desk, input: .init(note: "Thiếu ảnh."))
            await #expect(throws: DossierError.self) {
                _ = try await dependencies.workflow.perform(.supplement, on: online.id, by: office.desk, input: .init())
            }
        }
    }
}
