import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import MotCua

@Suite("CSRF tokens bound to the session")
struct CSRFSessionTests {
    @Test("Login renews the token to the session's own, a token from before login is refused, logout renews it again")
    func renewedAtLoginAndLogout() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, mail, _ in
            try await Citizen.registerAndSignIn(browser, mail: mail)
            try await browser.post("/dang-xuat", [:])
            _ = try await browser.get("/dang-nhap")
            let before = try #require(browser.cookies[CSRFMiddleware.cookieName])
            let login = try await browser.post("/dang-nhap", ["email": "an.nguyen@example.vn", "password": Citizen.password])
            #expect(login.status == .seeOther)
            let session = try #require(browser.cookies[SessionMiddleware.cookieName])
            let after = try #require(browser.cookies[CSRFMiddleware.cookieName])
            #expect(after != before && after == CSRFMiddleware.token(forSession: session))
            // The page's forms carry the session's token.
            #expect(try await browser.get("/tai-khoan").text.contains("value=\"\(after)\""))
            // A token read before login (and its cookie) no longer works for the signed-in account.
            browser.setCookie(CSRFMiddleware.cookieName, before)
            #expect(try await browser.post("/tai-khoan/token", ["token_name": "thu"], csrf: before).status == .forbidden)
            #expect(try await browser.post("/tai-khoan/token", ["token_name": "thu"], csrf: after).status == .seeOther)
            let logout = try await browser.post("/dang-xuat", [:], csrf: after)
            #expect(logout.status == .seeOther)
            let renewed = try #require(browser.cookies[CSRFMiddleware.cookieName])
            #expect(renewed != after && renewed != before)
        }
    }

    @Test("Over HTTPS: __Host- cookies, Secure, and HSTS")
    func httpsCookies() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false, configure: { $0.configuredPublicURL = "https://dichvucong.example.vn" }) { browser, _, _ in
            let page = try await browser.client.execute(uri: "/dang-nhap", method: .get)
            let cookie = try #require(page.headers[values: .setCookie].first)
            #expect(cookie.hasPrefix("__Host-\(CSRFMiddleware.cookieName)=") && cookie.contains("Secure") && cookie.contains("Path=/"))
            #expect(!cookie.contains("Domain="))
            #expect(page.headers[.strictTransportSecurity]?.contains("max-age=31536000") == true)
        }
        try await TestEnvironment.withApp { client in
            let plain = try await client.execute(uri: "/", method: .get)
            #expect(plain.headers[.strictTransportSecurity] == nil)
        }
    }
}
