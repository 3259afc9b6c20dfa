import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

@Suite("Query strings and forms that cannot be read are refused, not guessed at")
struct QueryEncodingTests {
    @Test("A malformed escape is a 400 (page or problem document); + is a space; a repeated form field is a 400, nothing done")
    func malformed() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let page = try await browser.get("/thu-tuc?q=%FF")
            #expect(page.status == .badRequest && page.text.contains("mã hóa ký tự không hợp lệ"))
            let api = try await browser.client.execute(uri: "/api/v1/procedures?q=%E0%A4", method: .get)
            #expect(api.status == .badRequest && api.headers[.contentType] == "application/problem+json")
            #expect(try await browser.get("/tra-cuu?ma=%G1").status == .badRequest)
            // "+" is a space, "%2B" a plus sign.
            let spaced = try await browser.get("/thu-tuc?q=nang+bac+luong")
            #expect(spaced.status == .ok && spaced.text.contains("Nâng bậc lương"))
            // A form that sends a field twice: refused, and no account is made.
            _ = try await browser.get("/dang-ky")
            let token = try #require(browser.cookies[CSRFMiddleware.cookieName])
            var form = Citizen.form(email: "lap.lai@example.vn")
            form["_csrf"] = token
            let body = BrowserClient.encode(form) + "&email=khac%40example.vn"
            let twice = try await browser.client.execute(
                uri: "/dang-ky", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "\(CSRFMiddleware.cookieName)=\(token)"],
                body: ByteBuffer(string: body))
            #expect(twice.status == .badRequest && twice.text.contains("nhiều lần"))
            let users = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM users WHERE email LIKE '%lap.lai%' OR email LIKE '%khac%'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(users == 0)

            // The fixed forms go through URLEncodedFormDecoder: a malformed escape is a 400, "+" a space.
            let malformedLogin = try await browser.client.execute(
                uri: "/dang-nhap", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "\(CSRFMiddleware.cookieName)=\(token)"],
                body: ByteBuffer(string: "_csrf=\(token)&email=a%FF%40example.vn&password=x"))
            #expect(malformedLogin.status == .badRequest && malformedLogin.text.contains("mã hóa ký tự không hợp lệ"), "\(malformedLogin.status) \(malformedLogin.text.prefix(300))")
            let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                          publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
            _ = try await accounts.createStaff(email: "qt.lich@example.vn", name: "Quản trị", role: .systemAdmin, agencyCode: nil,
                                              password: "Quan-tri-lich-2026")
            try await browser.post("/dang-nhap", ["email": "qt.lich@example.vn", "password": "Quan-tri-lich-2026"])
            let csrf = try #require(browser.cookies[CSRFMiddleware.cookieName])
            let saved = try await browser.client.execute(
                uri: "/quan-tri/lich-lam-viec", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: browser.cookieHeader],
                body: ByteBuffer(string: "_csrf=\(csrf)&ngay=2026-12-31&loai=off&ghi-chu=Ngh%E1%BB%89+b%C3%B9+T%E1%BA%BFt"))
            #expect(saved.status == .seeOther)
            #expect(try await CalendarOverrides(database: database).all().contains { $0.note == "Nghỉ bù Tết" })
        }
    }
}
