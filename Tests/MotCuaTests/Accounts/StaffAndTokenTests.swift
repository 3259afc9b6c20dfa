import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

private func service(_ database: any Database) -> AccountService {
    AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                   publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
}

@Suite("Staff roles and API tokens")
struct StaffAndTokenTests {
    @Test("The demo start creates one account per role for each demo agency, plus a system administrator")
    func demoStaff() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let store = dependencies.accounts.users
            #expect(try await store.count() == 21)
            let sonLa = try await store.staff(agencyCode: "000.00.07.H52")
            #expect(Set(sonLa.compactMap(\.role)) == [.receptionist, .processor, .leader, .agencyAdmin])
            #expect(sonLa.allSatisfy { $0.emailVerified })
        }
    }

    @Test("An agency administrator manages only the agency's own staff; other roles may not")
    func agencyAdministration() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let accounts = service(database)
            _ = try await accounts.createStaff(email: "qt.sonla@example.vn", name: "Quản trị Sơn La", role: .agencyAdmin,
                                              agencyCode: "000.00.07.H52", password: "Quan-tri-SL-2026")
            let (other, _) = try await accounts.createStaff(email: "tn.cantho@example.vn", name: "Tiếp nhận Cần Thơ",
                                                           role: .receptionist, agencyCode: "000.00.09.H13", password: "Tiep-nhan-CT-2026")
            _ = try await accounts.createStaff(email: "tn.sonla@example.vn", name: "Tiếp nhận Sơn La", role: .receptionist,
                                              agencyCode: "000.00.07.H52", password: "Tiep-nhan-SL-2026")

            try await browser.post("/dang-nhap", ["email": "tn.sonla@example.vn", "password": "Tiep-nhan-SL-2026"])
            #expect(try await browser.get("/quan-tri/can-bo").status == .forbidden)
            #expect(try await browser.get("/quan-tri/thu-dien").status == .forbidden)

            try await browser.post("/dang-nhap", ["email": "qt.sonla@example.vn", "password": "Quan-tri-SL-2026"])
            let page = try await browser.get("/quan-tri/can-bo")
            #expect(page.status == .ok && page.text.contains("Tiếp nhận Sơn La") && !page.text.contains("Tiếp nhận Cần Thơ"))
            let created = try await browser.post("/quan-tri/can-bo", ["name": "Chuyên viên Mới", "email": "cv.moi@example.vn", "role": "processor"])
            #expect(created.status == .seeOther)
            let shown = try await browser.get("/quan-tri/can-bo")
            #expect(shown.text.contains("Mật khẩu ban đầu") && shown.text.contains("cv.moi@example.vn"))
            #expect(!(try await browser.get("/quan-tri/can-bo").text.contains("Mật khẩu ban đầu")))  // once only
            let newStaff = try #require(try await UserStore(database: database).credentials(email: "cv.moi@example.vn")?.user)
            #expect(newStaff.role == .processor && newStaff.agencyCode == "000.00.07.H52")
            let escalate = try await browser.post("/quan-tri/can-bo", ["name": "X", "email": "x@example.vn", "role": "system_admin"])
            #expect(escalate.status == .unprocessableContent)
            // Staff of another agency cannot be touched, even by id.
            #expect(try await browser.post("/quan-tri/can-bo/\(other.id)/khoa", [:]).status == .notFound)
            #expect(try await UserStore(database: database).user(id: other.id)?.disabled == false)
            #expect(try await browser.post("/quan-tri/can-bo/\(newStaff.id)/khoa", [:]).status == .seeOther)
            #expect(try await UserStore(database: database).user(id: newStaff.id)?.disabled == true)
        }
    }

    @Test("API tokens: shown once, work as bearer tokens, stop working when revoked")
    func apiTokens() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, mail, database in
            let anonymous = try await browser.get("/api/v1/me")
            #expect(anonymous.status == .unauthorized && anonymous.headers[.contentType] == "application/problem+json")
            try await Citizen.registerAndSignIn(browser, mail: mail)
            let created = try await browser.post("/tai-khoan/token", ["token_name": "Phần mềm văn thư"])
            #expect(created.status == .seeOther)  // so reloading the answer cannot create a second token
            let shownOnce = try await browser.get(try #require(created.headers[.location]))
            let token = try #require(shownOnce.text.firstMatch(of: /<code class="token">(mct_[A-Za-z0-9_-]+)<\/code>/)?.1)
            let stored = try await database.read { try await $0.raw("SELECT token_hash FROM api_tokens").all() }
            #expect(stored.count == 1)
            #expect(try stored[0].decode(column: "token_hash", as: String.self) == Secrets.digest(String(token)))
            #expect(!(try await browser.get("/tai-khoan").text.contains(String(token))))  // never shown again

            let me = try await browser.client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(me.status == .ok && me.text.contains("\"email\":\"an.nguyen@example.vn\""))
            let forged = try await browser.client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer mct_forged"])
            #expect(forged.status == .unauthorized && forged.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let id = try #require(try await database.read { try await $0.raw("SELECT id FROM api_tokens").first()?.decode(column: "id", as: Int64.self) })
            #expect(try await browser.post("/tai-khoan/token/\(id)/thu-hoi", [:]).status == .seeOther)
            let revoked = try await browser.client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(revoked.status == .unauthorized)
        }
    }
}
