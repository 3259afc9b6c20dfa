import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import MotCua

/// Staff created with a generated password set their own at first login, before anything else.
@Suite("First password of staff")
struct FirstPasswordTests {
    @Test("A generated password leads to 'Đặt mật khẩu của bạn' from every page and 403 on the API, until a new one is set")
    func firstLogin() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                          publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
            let (staff, generated) = try await accounts.createStaff(
                email: "moi@example.vn", name: "Cán bộ mới", role: .receptionist, agencyCode: "000.00.08.H06")
            #expect(staff.mustChangePassword)
            // Given passwords (the CLI's --password, tests) and demo accounts are not forced.
            let (given, _) = try await accounts.createStaff(
                email: "co.mat.khau@example.vn", name: "Cán bộ", role: .processor, agencyCode: "000.00.08.H06", password: "Mot-cua-2026-an-toan")
            #expect(!given.mustChangePassword)
            #expect(try await UserStore(database: database).credentials(email: "tiepnhan.h06@motcua.demo")?.user.mustChangePassword == false)

            #expect(try await browser.post("/dang-nhap", ["email": "moi@example.vn", "password": generated]).status == .seeOther)
            for path in ["/mot-cua", "/tai-khoan", "/ho-so", "/"] {
                let page = try await browser.get(path)
                #expect(page.status == .seeOther && page.headers[.location] == "/tai-khoan/dat-mat-khau", "\(path)")
            }
            let form = try await browser.get("/tai-khoan/dat-mat-khau")
            #expect(form.status == .ok && form.text.contains("Đặt mật khẩu của bạn"))
            let token = try await APITokenStore(database: database).create(userID: staff.id, name: "thử")
            let api = try await browser.client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(api.status == .forbidden)

            // A wrong temporary password, or a weak new one: 422, still forced.
            let wrong = try await browser.post("/tai-khoan/dat-mat-khau", [
                "current_password": "sai", "password": "Mot-cua-2027-rieng-toi", "password_confirmation": "Mot-cua-2027-rieng-toi",
            ])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("Mật khẩu tạm không đúng"))
            let weak = try await browser.post("/tai-khoan/dat-mat-khau", [
                "current_password": generated, "password": "123", "password_confirmation": "123",
            ])
            #expect(weak.status == .unprocessableContent)
            #expect(try await browser.get("/mot-cua").status == .seeOther)

            let done = try await browser.post("/tai-khoan/dat-mat-khau", [
                "current_password": generated, "password": "Mot-cua-2027-rieng-toi", "password_confirmation": "Mot-cua-2027-rieng-toi",
            ])
            #expect(done.status == .seeOther && done.headers[.location]?.hasPrefix("/tai-khoan") == true)
            #expect(try await browser.get("/mot-cua").status == .ok)
            #expect(try await browser.client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .ok)
            #expect(try await UserStore(database: database).user(id: staff.id)?.mustChangePassword == false)
        }
    }
}
