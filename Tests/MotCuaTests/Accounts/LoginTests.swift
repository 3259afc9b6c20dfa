import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

@Suite("Login, sessions and passwords")
struct LoginTests {
    @Test("Login starts a new session (rotation), sets safe cookies, and logout ends it")
    func loginRotationLogout() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, mail, _ in
            try await browser.post("/dang-ky", Citizen.form())
            // A session id planted before login (fixation) is never the one used after it.
            browser.setCookie(SessionMiddleware.cookieName, "planted-by-attacker")
            let login = try await browser.post("/dang-nhap", ["email": "AN.NGUYEN@example.vn ", "password": Citizen.password])
            #expect(login.status == .seeOther && login.headers[.location] == "/tai-khoan")
            let setCookie = try #require(login.headers[values: .setCookie].first { $0.hasPrefix(SessionMiddleware.cookieName) })
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && !setCookie.contains("Secure"))
            let session = try #require(browser.cookies[SessionMiddleware.cookieName])
            #expect(session != "planted-by-attacker")
            let account = try await browser.get("/tai-khoan")
            #expect(account.status == .ok && account.text.contains("Nguyễn Văn An") && account.text.contains("(phiên này)"))
            #expect(try await browser.get("/thu-tuc").text.contains("Đăng xuất"))
            let logout = try await browser.post("/dang-xuat", [:])
            #expect(logout.status == .seeOther)
            // The old cookie no longer opens anything.
            browser.setCookie(SessionMiddleware.cookieName, session)
            let after = try await browser.get("/tai-khoan")
            #expect(after.status == .seeOther && after.headers[.location] == "/dang-nhap?next=/tai-khoan")
            _ = mail
        }
    }

    @Test("Wrong e-mail and wrong password get the same answer; five failures lock the account for a while")
    func throttling() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, _, _ in
            try await browser.post("/dang-ky", Citizen.form())
            let unknown = try await browser.post("/dang-nhap", ["email": "ai.do@example.vn", "password": Citizen.password])
            let wrong = try await browser.post("/dang-nhap", ["email": "an.nguyen@example.vn", "password": "sai-mat-khau-1"])
            #expect(unknown.status == .unauthorized && wrong.status == .unauthorized)
            #expect(unknown.text.contains("Thư điện tử hoặc mật khẩu không đúng"))
            #expect(wrong.text.contains("Thư điện tử hoặc mật khẩu không đúng"))
            for attempt in 2...5 {
                _ = try await browser.post("/dang-nhap", ["email": "an.nguyen@example.vn", "password": "sai-mat-khau-\(attempt)"])
            }
            let locked = try await browser.post("/dang-nhap", ["email": "an.nguyen@example.vn", "password": Citizen.password])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.text.contains("tạm bị khóa") && locked.text.contains("phút"))
            #expect(browser.cookies[SessionMiddleware.cookieName] == nil)
        }
    }

    @Test("Many failures from one address lock logins from it, whatever the account")
    func throttlingPerIP() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, _, _ in
            try await browser.post("/dang-ky", Citizen.form())
            for attempt in 0..<Throttle.loginPerIP.limit {
                _ = try await browser.post("/dang-nhap", ["email": "doan\(attempt)@example.vn", "password": "sai-mat-khau-0"])
            }
            let locked = try await browser.post("/dang-nhap", ["email": "an.nguyen@example.vn", "password": Citizen.password])
            #expect(locked.status == .tooManyRequests)
        }
    }

    @Test("Forged, idle and too-old session cookies open nothing and are cleared")
    func sessionExpiry() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, _, database in
            browser.setCookie(SessionMiddleware.cookieName, Secrets.random())
            let forged = try await browser.get("/tai-khoan")
            #expect(forged.status == .seeOther)
            #expect(browser.cookies[SessionMiddleware.cookieName] == nil)

            try await browser.post("/dang-ky", Citizen.form())
            try await browser.post("/dang-nhap", ["email": "an.nguyen@example.vn", "password": Citizen.password])
            #expect(try await browser.get("/tai-khoan").status == .ok)
            let idle = Clock.nowMilliseconds() - 31 * 60 * 1000
            try await database.transaction { try await $0.raw("UPDATE sessions SET last_seen_at = \(bind: idle)").run() }
            #expect(try await browser.get("/tai-khoan").status == .seeOther)

            try await browser.post("/dang-nhap", ["email": "an.nguyen@example.vn", "password": Citizen.password])
            let old = Clock.nowMilliseconds() - 13 * 60 * 60 * 1000
            try await database.transaction { try await $0.raw("UPDATE sessions SET created_at = \(bind: old)").run() }
            #expect(try await browser.get("/tai-khoan").status == .seeOther)
        }
    }

    @Test("Password reset: same answer for unknown addresses, single-use expiring link, every session ends")
    func passwordReset() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, mail, database in
            try await Citizen.registerAndSignIn(browser, mail: mail)
            let otherDevice = try #require(browser.cookies[SessionMiddleware.cookieName])
            let unknown = try await browser.post("/quen-mat-khau", ["email": "khong.co@example.vn"])
            let known = try await browser.post("/quen-mat-khau", ["email": "an.nguyen@example.vn"])
            #expect(unknown.text.contains("Nếu địa chỉ này có tài khoản") && known.text.contains("Nếu địa chỉ này có tài khoản"))
            #expect(try await mail.messages(to: "khong.co@example.vn").isEmpty)
            let link = try #require(try await mail.link(to: "an.nguyen@example.vn", path: "/dat-lai-mat-khau"))
            let token = String(link.split(separator: "=").last!)
            #expect(try await browser.get(link).status == .ok)
            let weak = try await browser.post("/dat-lai-mat-khau", ["ma": token, "password": "123", "password_confirmation": "123"])
            #expect(weak.status == .unprocessableContent && weak.text.contains("ít nhất 10"))
            let newPassword = "Mat-khau-moi-2026"
            let done = try await browser.post("/dat-lai-mat-khau", ["ma": token, "password": newPassword, "password_confirmation": newPassword])
            #expect(done.status == .ok && done.text.contains("Đã đặt mật khẩu mới"))
            browser.setCookie(SessionMiddleware.cookieName, otherDevice)
            #expect(try await browser.get("/tai-khoan").status == .seeOther)  // all sessions ended
            let reused = try await browser.post("/dat-lai-mat-khau", ["ma": token, "password": "Lai-lan-nua-2026", "password_confirmation": "Lai-lan-nua-2026"])
            #expect(reused.status == .badRequest)
            #expect(try await browser.post("/dang-nhap", ["email": "an.nguyen@example.vn", "password": Citizen.password]).status == .unauthorized)
            #expect(try await browser.post("/dang-nhap", ["email": "an.nguyen@example.vn", "password": newPassword]).status == .seeOther)

            // An expired link is refused.
            try await browser.post("/quen-mat-khau", ["email": "an.nguyen@example.vn"])
            let expiredLink = try #require(try await mail.link(to: "an.nguyen@example.vn", path: "/dat-lai-mat-khau"))
            try await database.transaction { try await $0.raw("UPDATE account_tokens SET expires_at = 0 WHERE used_at IS NULL").run() }
            #expect(try await browser.get(expiredLink).status == .badRequest)
        }
    }

    @Test("Changing the password needs the current one and ends the other sessions; log out elsewhere")
    func changePassword() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, mail, _ in
            try await Citizen.registerAndSignIn(browser, mail: mail)
            let first = try #require(browser.cookies[SessionMiddleware.cookieName])
            try await browser.post("/dang-nhap", ["email": "an.nguyen@example.vn", "password": Citizen.password])
            let second = try #require(browser.cookies[SessionMiddleware.cookieName])
            let wrong = try await browser.post("/tai-khoan/mat-khau", [
                "current_password": "khong-dung-1", "password": "Mat-khau-moi-2026", "password_confirmation": "Mat-khau-moi-2026",
            ])
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("Mật khẩu hiện tại không đúng"))
            let changed = try await browser.post("/tai-khoan/mat-khau", [
                "current_password": Citizen.password, "password": "Mat-khau-moi-2026", "password_confirmation": "Mat-khau-moi-2026",
            ])
            #expect(changed.status == .seeOther)
            #expect(try await browser.get("/tai-khoan").status == .ok)  // this session stays
            browser.setCookie(SessionMiddleware.cookieName, first)
            #expect(try await browser.get("/tai-khoan").status == .seeOther)  // the other one ended
            browser.setCookie(SessionMiddleware.cookieName, second)
            #expect(try await mail.messages(to: "an.nguyen@example.vn").contains { $0.subject.contains("đã được thay đổi") })

            try await browser.post("/dang-nhap", ["email": "an.nguyen@example.vn", "password": "Mat-khau-moi-2026"])
            let third = try #require(browser.cookies[SessionMiddleware.cookieName])
            #expect(try await browser.post("/tai-khoan/dang-xuat-noi-khac", [:]).status == .seeOther)
            browser.setCookie(SessionMiddleware.cookieName, second)
            #expect(try await browser.get("/tai-khoan").status == .seeOther)
            browser.setCookie(SessionMiddleware.cookieName, third)
            #expect(try await browser.get("/tai-khoan").status == .ok)
        }
    }

    @Test("Pages that need an account send anonymous visitors to the login page, and only back to this site")
    func loginRedirects() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, _, _ in
            let account = try await browser.get("/tai-khoan")
            #expect(account.status == .seeOther && account.headers[.location] == "/dang-nhap?next=/tai-khoan")
            try await browser.post("/dang-ky", Citizen.form())
            for next in ["//evil.example/", "https://evil.example/", "/\\evil.example"] {
                let login = try await browser.post("/dang-nhap", ["email": "an.nguyen@example.vn", "password": Citizen.password, "next": next])
                #expect(login.headers[.location] == "/tai-khoan", "\(next)")
            }
            let back = try await browser.post("/dang-nhap", ["email": "an.nguyen@example.vn", "password": Citizen.password, "next": "/thu-tuc?q=hoi"])
            #expect(back.headers[.location] == "/thu-tuc?q=hoi")
        }
    }

    @Test("Cookies are Secure when the portal is served over HTTPS")
    func secureCookies() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false, configure: { $0.configuredPublicURL = "https://dichvucong.example.vn" }) { browser, _, _ in
            let page = try await browser.get("/dang-nhap")
            let cookie = try #require(page.headers[values: .setCookie].first)
            #expect(cookie.contains("Secure") && cookie.contains("HttpOnly"))
        }
    }
}

@Suite("Login timing")
struct LoginTimingTests {
    @Test("An unknown address costs the same bcrypt work as a wrong password (no timing tell)")
    func decoyAtConfiguredCost() {
        let hasher = PasswordHasher(cost: 6)
        #expect(hasher.decoyHash.hasPrefix("$2b$06$") || hasher.decoyHash.hasPrefix("$2a$06$") || hasher.decoyHash.hasPrefix("$2y$06$"))
    }

    @Test("Single-use links are hidden in the outbox page when mail really goes out")
    func redaction() {
        let body = "Mở liên kết: http://x/dat-lai-mat-khau?ma=AbC-123_x\nvà http://x/xac-thuc-email?ma=Zz9"
        let redacted = AdministrationController.redacted(body)
        #expect(!redacted.contains("AbC-123_x") && !redacted.contains("Zz9") && redacted.contains("dat-lai-mat-khau?ma=…"))
    }

    @Test("Without MOTCUA_PUBLIC_URL, mailed links use the address the portal listens on")
    func publicURLDefault() throws {
        var configuration = try AppConfiguration.fromEnvironment([:])
        configuration.port = 18081
        #expect(configuration.publicURL == "http://127.0.0.1:18081")
        #expect(try AppConfiguration.fromEnvironment(["MOTCUA_PUBLIC_URL": "https://dvc.example.vn/"]).publicURL == "https://dvc.example.vn")
    }
}

@Suite("Account page")
struct AccountPageTests {
    @Test("A refused change of contact details keeps what was typed and saves nothing")
    func refusedProfileChange() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            try await Citizen.registerAndSignIn(browser, mail: mail)
            let refused = try await browser.post("/tai-khoan/ho-so", ["display_name": "Tên Mới Đã Gõ", "phone": "12345", "address": "Số 9 phố Mới"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("value=\"Tên Mới Đã Gõ\"") && refused.text.contains("value=\"Số 9 phố Mới\""))
            let saved = try #require(try await UserStore(database: database).credentials(email: "an.nguyen@example.vn")?.user)
            #expect(saved.displayName == "Nguyễn Văn An" && saved.address != "Số 9 phố Mới")
        }
    }
}
