import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

private func userCount(_ database: any Database) async throws -> Int {
    try await UserStore(database: database).count()
}

@Suite("Registration and e-mail verification")
struct RegistrationTests {
    @Test("A citizen registers, the verification mail is written with the account, and its link works once")
    func registerAndVerify() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, mail, database in
            let page = try await browser.get("/dang-ky")
            #expect(page.status == .ok && page.text.contains("name=\"_csrf\""))
            let response = try await browser.post("/dang-ky", Citizen.form())
            #expect(response.status == .ok)
            #expect(response.text.contains("Kiểm tra hộp thư"))
            let user = try #require(try await UserStore(database: database).credentials(email: "an.nguyen@example.vn")?.user)
            #expect(!user.emailVerified && user.phone == "0912345678" && user.citizenID == "001203004567")
            let link = try #require(try await mail.link(to: "an.nguyen@example.vn", path: "/xac-thuc-email"))
            // Opening the link only shows a confirm button: a mail scanner that follows it verifies nothing.
            let confirm = try await browser.get(link)
            #expect(confirm.status == .ok && confirm.text.contains("Xác thực"))
            #expect(try await UserStore(database: database).user(id: user.id)?.emailVerified == false)
            let token = String(link.split(separator: "=").last!)
            let verified = try await browser.post("/xac-thuc-email", ["ma": token])
            #expect(verified.status == .ok && verified.text.contains("Đã xác thực"))
            #expect(try await UserStore(database: database).user(id: user.id)?.emailVerified == true)
            let again = try await browser.post("/xac-thuc-email", ["ma": token])
            #expect(again.status == .badRequest && again.text.contains("không còn hiệu lực"))
        }
    }

    @Test("An organization registers with a branch tax code")
    func organization() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, _, database in
            let response = try await browser.post("/dang-ky", [
                "kind": "organization", "organization_name": "Hội Luật gia tỉnh Sơn La", "tax_code": "5500123456-001",
                "representative": "Lò Văn Minh", "phone": "+84 912 000 111", "email": "hoiluatgia@example.vn",
                "address": "Phường Chiềng Lề", "password": Citizen.password, "password_confirmation": Citizen.password,
            ])
            #expect(response.status == .ok)
            let user = try #require(try await UserStore(database: database).credentials(email: "hoiluatgia@example.vn")?.user)
            #expect(user.kind == .organization && user.taxCode == "5500123456-001" && user.phone == "0912000111")
        }
    }

    @Test("Bad input gets a message next to each field, keeps what was typed, and creates nothing", arguments: [
        ("citizen_id", "12345", "12 chữ số"), ("phone", "12345", "10 chữ số"), ("date_of_birth", "2999-01-01", "Ngày sinh"),
        ("email", "khong-phai-email", "không hợp lệ"), ("password", "short", "ít nhất 10"),
        ("password", "password123", "phổ biến"), ("full_name", "", "Vui lòng nhập"),
    ])
    func invalidFields(field: String, value: String, message: String) async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, _, database in
            var form = Citizen.form()
            form[field] = value
            if field == "password" { form["password_confirmation"] = value }
            let response = try await browser.post("/dang-ky", form)
            #expect(response.status == .unprocessableContent)
            let html = response.text
            #expect(html.contains("id=\"\(field.replacingOccurrences(of: "_", with: "-"))-loi\""))
            #expect(html.contains(message))
            #expect(html.contains("aria-invalid=\"true\""))
            if field != "full_name" { #expect(html.contains("value=\"Nguyễn Văn An\"")) }
            #expect(!html.contains(Citizen.password))  // passwords are never echoed back
            #expect(try await userCount(database) == 0)
        }
    }

    @Test("A password equal to the e-mail or not repeated the same is refused")
    func passwordRules() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { (browser: BrowserClient, _: MailReader, database: any Database) async throws in
            var form = Citizen.form(email: "matkhau.dai@example.vn")
            form["password"] = "matkhau.dai@example.vn"
            form["password_confirmation"] = form["password"]
            #expect(try await browser.post("/dang-ky", form).text.contains("trùng với địa chỉ thư điện tử"))
            form = Citizen.form()
            form["password_confirmation"] = "Khac-hoan-toan-2026"
            #expect(try await browser.post("/dang-ky", form).text.contains("không khớp"))
            #expect(try await userCount(database) == 0)
        }
    }

    @Test("A taken e-mail gets the same answer (no enumeration) and its owner a notice; a taken CCCD is named")
    func duplicates() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, mail, database in
            try await browser.post("/dang-ky", Citizen.form())
            let second = try await browser.post("/dang-ky", Citizen.form(citizenID: "079199001234"))
            #expect(second.status == .ok && second.text.contains("Kiểm tra hộp thư"))
            #expect(try await userCount(database) == 1)
            let messages = try await mail.messages(to: "an.nguyen@example.vn")
            #expect(messages.count == 2 && messages[1].subject.contains("đã có tài khoản"))
            let sameID = try await browser.post("/dang-ky", Citizen.form(email: "khac@example.vn"))
            #expect(sameID.status == .unprocessableContent && sameID.text.contains("đã được dùng cho một tài khoản khác"))
            #expect(try await userCount(database) == 1)
        }
    }

    @Test("Forms without the right CSRF token, from another site, or of 1 MB change nothing")
    func csrfAndSize() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, _, database in
            let missing = try await browser.post("/dang-ky", Citizen.form(), csrf: .some(nil))
            #expect(missing.status == .forbidden && missing.text.contains("tải lại trang"))
            let wrong = try await browser.post("/dang-ky", Citizen.form(), csrf: "x")
            #expect(wrong.status == .forbidden)
            let crossSite = try await browser.post("/dang-ky", Citizen.form(), headers: [.secFetchSite: "cross-site"])
            #expect(crossSite.status == .forbidden)
            var huge = Citizen.form()
            huge["address"] = String(repeating: "a", count: 1_000_000)
            let tooLarge = try await browser.post("/dang-ky", huge)
            #expect(tooLarge.status == .contentTooLarge && tooLarge.text.contains("quá lớn"))
            #expect(try await userCount(database) == 0)
        }
    }

    @Test("Resending the verification mail is limited")
    func resendLimit() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, mail, _ in
            try await browser.post("/dang-ky", Citizen.form())
            try await browser.post("/dang-nhap", ["email": "an.nguyen@example.vn", "password": Citizen.password])
            for _ in 0..<3 {
                #expect(try await browser.post("/tai-khoan/gui-lai-xac-thuc", [:]).status == .seeOther)
            }
            let limited = try await browser.post("/tai-khoan/gui-lai-xac-thuc", [:])
            #expect(limited.status == .tooManyRequests && limited.text.contains("nhiều lần"))
            #expect(try await mail.messages(to: "an.nguyen@example.vn").count == 4)
        }
    }
}
