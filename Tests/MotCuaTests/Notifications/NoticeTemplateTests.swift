import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import MotCua

@Suite("Notice templates: placeholders and checks")
struct NoticeTemplateCheckTests {
    private func problem(_ subject: String = "Hồ sơ {{ma_ho_so}}", _ body: String = "Xin chào {{nguoi_nop}}", sms: String = "",
                         kind: NoticeKind = .accepted) -> NoticeTemplate.Invalid? {
        NoticeTemplate(mailSubject: subject, mailBody: body, smsText: sms).problem(for: kind)
    }

    @Test("Every shipped template is valid, fits its SMS in three segments and names only its own placeholders")
    func defaultsAreValid() throws {
        for kind in NoticeKind.allCases {
            let template = NoticeDefaults.template(kind)
            #expect(template.problem(for: kind) == nil, "\(kind)")
            let compiled = try template.compiled(for: kind)
            let samples = Dictionary(uniqueKeysWithValues: kind.placeholders.map { ($0.name, $0.sample) })
            #expect(!compiled.body.rendered(samples).contains("{{"))
            #expect(SMSText.segments(compiled.smsText(samples, fitted: false)) <= 3)
            #expect((kind.forStaff || kind.forAccount) == compiled.smsText(samples).isEmpty)
        }
    }

    @Test("Placeholders are replaced; text around them stays as typed, not HTML-escaped")
    func rendering() throws {
        let text = try PlaceholderText("Kính gửi {{ nguoi_nop }} <b>&</b> mã {{ma_ho_so}}.", allowed: ["nguoi_nop", "ma_ho_so"])
        #expect(text.rendered(["nguoi_nop": "Lê Thị Ánh", "ma_ho_so": "H06-1"]) == "Kính gửi Lê Thị Ánh <b>&</b> mã H06-1.")
    }

    @Test("A broken tag is refused, naming the field and where", arguments: [
        "Xin chào {{nguoi_nop}", "Xin chào {{nguoi_nop", "Xin chào nguoi_nop}}", "Xin chào {{}}", "Xin chào {{người nộp}}",
        "Xin chào {{{nguoi_nop}}}", "{{ma_ho_so}} và {{",
    ])
    func brokenTags(body: String) throws {
        let invalid = try #require(problem("Hồ sơ {{ma_ho_so}}", body))
        #expect(invalid.field == .mailBody && invalid.message.contains("bị hỏng"))
    }

    @Test("A placeholder the notice does not have is refused, by name")
    func unknownPlaceholder() throws {
        let invalid = try #require(problem("Hồ sơ {{so_ho_so}}"))
        #expect(invalid.field == .mailSubject && invalid.message.contains("{{so_ho_so}}"))
        // Staff notices have their own list: the applicant's name is not one of them.
        #expect(problem("Hạn {{han}}", "Xin chào {{nguoi_nop}}", kind: .stepOverdue)?.field == .mailBody)
        #expect(problem("Hạn {{han}}", "Xin chào {{nguoi_nhan}}", kind: .stepOverdue) == nil)
    }

    @Test("An SMS of more than three segments with the sample values is refused; an empty one means no SMS")
    func smsLength() throws {
        let long = String(repeating: "Hồ sơ {{ma_ho_so}} của {{nguoi_nop}} đã có kết quả. ", count: 3)
        let invalid = try #require(problem(sms: long))
        #expect(invalid.field == .smsText && invalid.message.contains("tối đa 3 tin"))
        #expect(problem(sms: "") == nil)
        #expect(problem(sms: "Ho so {{ma_ho_so}} da co ket qua") == nil)
    }

    @Test("A verification or reset mail must keep its link; the mail to an address already registered names nobody")
    func accountNotices() {
        #expect(problem("Xác thực", "Xin chào {{ho_ten}}", kind: .emailVerification)?.message.contains("{{duong_dan}}") == true)
        #expect(problem("Đặt lại", "Mở {{duong_dan}}", kind: .passwordReset) == nil)
        #expect(problem("Đã có", "Xin chào {{ho_ten}}", kind: .alreadyRegistered)?.field == .mailBody)
    }

    @Test("An empty subject or body, or a subject on two lines, is refused")
    func requiredFields() {
        #expect(problem("  ")?.field == .mailSubject)
        #expect(problem("Hồ sơ", "\n")?.field == .mailBody)
        #expect(problem("Hồ sơ\nBcc: x@example.vn")?.field == .mailSubject)
    }
}

@Suite("Notice templates edited by the system administrator")
struct NoticeTemplatePageTests {
    private static func signInAdministrator(_ browser: BrowserClient, _ database: any Database) async throws {
        let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                      publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
        _ = try await accounts.createStaff(email: "qt.mau@example.vn", name: "Quản trị Mẫu", role: .systemAdmin, agencyCode: nil,
                                          password: "Quan-tri-mau-2026")
        try await browser.post("/dang-nhap", ["email": "qt.mau@example.vn", "password": "Quan-tri-mau-2026"])
    }

    @Test("An edited template changes the next notice's mail and SMS in the outbox; the earlier versions are kept")
    func editChangesOutbox() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            try await Self.signInAdministrator(browser, database)
            let list = try await browser.get("/quan-tri/mau-thong-bao")
            #expect(list.status == .ok && list.text.contains("Tiếp nhận hồ sơ và hẹn trả kết quả") && list.text.contains("Mẫu mặc định"))
            let page = try await browser.get("/quan-tri/mau-thong-bao/tiep-nhan")
            #expect(page.status == .ok && page.text.contains("{{ngay_hen}}") && page.text.contains("Ngày hẹn trả kết quả"))

            let form = [
                "mail_subject": "[Sở Nội vụ] Tiếp nhận hồ sơ {{ma_ho_so}}",
                "mail_body": "Kính gửi {{nguoi_nop}},\r\nSở đã tiếp nhận hồ sơ {{ma_ho_so}}; hẹn trả ngày {{ngay_hen}}.",
                "sms_text": "So Noi vu: da tiep nhan ho so {{ma_ho_so}}, hen {{ngay_hen}}", "intent": "save",
            ]
            let saved = try await browser.post("/quan-tri/mau-thong-bao/tiep-nhan", form)
            #expect(saved.status == .seeOther)
            var second = form
            second["mail_subject"] = "[Sở Nội vụ tỉnh] Tiếp nhận hồ sơ {{ma_ho_so}}"
            #expect(try await browser.post("/quan-tri/mau-thong-bao/tiep-nhan", second).status == .seeOther)
            let history = try await NoticeTemplateStore(database: database).history(.accepted)
            #expect(history.count == 2 && history[0].template.mailSubject.hasPrefix("[Sở Nội vụ tỉnh]")
                    && history[1].template.mailSubject.hasPrefix("[Sở Nội vụ]") && history[0].createdBy == "Quản trị Mẫu")
            #expect(history[0].template.mailBody.contains("Kính gửi {{nguoi_nop}},\nSở"))

            let citizen = try await APICitizen.make(database, email: "mau.dan@example.vn", citizenID: "001099000888")
            let desk = try await APIStaff.make(database, email: "mau.tiepnhan@example.vn", role: .receptionist)
            let dossier = try await APIFiling.submitted(browser, citizen, database: database)
            let code = try #require(dossier.code)
            #expect(try await APIFiling.act(browser, desk, dossier.id, "accept").status == .ok)
            let accepted = try #require(try await mail.messages(to: "mau.dan@example.vn").last)
            #expect(accepted.subject == "[Sở Nội vụ tỉnh] Tiếp nhận hồ sơ \(code)")
            #expect(accepted.bodyText.hasPrefix("Kính gửi Công dân mau.dan@example.vn,\nSở đã tiếp nhận hồ sơ \(code); hẹn trả ngày "))
            let sms = try #require(try await mail.messages(to: "0912345678").last)
            #expect(sms.channel == .sms && sms.bodyText.hasPrefix("So Noi vu: da tiep nhan ho so \(code), hen "))
            // The submission's notice, not edited, kept its shipped text.
            #expect(try await mail.messages(to: "mau.dan@example.vn").first?.subject == "Đã nhận hồ sơ \(code) – Cổng dịch vụ công MotCua")

            // Preview on that real dossier, without saving.
            let preview = try await browser.post("/quan-tri/mau-thong-bao/tiep-nhan", [
                "mail_subject": "Xem {{ma_ho_so}}", "mail_body": "Người nộp: {{nguoi_nop}}", "sms_text": "", "ma": code, "intent": "preview",
            ])
            #expect(preview.status == .ok && preview.text.contains("Người nộp: Công dân mau.dan@example.vn") && preview.text.contains("Xem \(code)"))
            #expect(try await NoticeTemplateStore(database: database).history(.accepted).count == 2)

            // Back to the shipped text, as a third version.
            #expect(try await browser.post("/quan-tri/mau-thong-bao/tiep-nhan/mac-dinh", [:]).status == .seeOther)
            let current = try await NoticeTemplateStore(database: database).current(.accepted)
            #expect(current?.template == NoticeDefaults.template(.accepted))
        }
    }

    @Test("The verification mail of a registration follows its edited template, link included")
    func accountTemplate() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, mail, database in
            let admin = try await database.transaction { db in
                try await UserStore.insert(NewUser(kind: .staff, email: "qt.tk@example.vn", passwordHash: "-", displayName: "Quản trị",
                                                   role: .systemAdmin, emailVerified: true), in: db)
            }
            try await NoticeTemplateStore(database: database).save(
                NoticeTemplate(mailSubject: "Kích hoạt tài khoản dịch vụ công", mailBody: "Chào {{ho_ten}}! Bấm: {{duong_dan}}", smsText: ""),
                for: .emailVerification, by: admin.id)
            #expect(try await browser.post("/dang-ky", Citizen.form()).status == .ok)
            let sent = try #require(try await mail.messages(to: "an.nguyen@example.vn").last)
            #expect(sent.subject == "Kích hoạt tài khoản dịch vụ công")
            let link = try #require(sent.bodyText.firstMatch(of: /Bấm: http:\/\/127.0.0.1:8080\/xac-thuc-email\?ma=([A-Za-z0-9_-]+)$/))
            #expect(try await browser.post("/xac-thuc-email", ["ma": String(link.1)]).status == .ok)
            #expect(try await UserStore(database: database).credentials(email: "an.nguyen@example.vn")?.user.emailVerified == true)
        }
    }

    @Test("A wrong template is refused with its field marked, and nothing is saved")
    func refusedNothingSaved() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            try await Self.signInAdministrator(browser, database)
            for (field, value, message) in [
                ("mail_body", "Xin chào {{nguoi_nop}", "bị hỏng"),
                ("mail_subject", "Hồ sơ {{ma_so}}", "{{ma_so}}"),
                ("sms_text", String(repeating: "Hồ sơ {{ma_ho_so}} đã được tiếp nhận. ", count: 6), "tối đa 3 tin"),
            ] {
                var form = ["mail_subject": "Hồ sơ {{ma_ho_so}}", "mail_body": "Xin chào {{nguoi_nop}}", "sms_text": "", "intent": "save"]
                form[field] = value
                let response = try await browser.post("/quan-tri/mau-thong-bao/tiep-nhan", form)
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains(message) && response.text.contains("id=\"\(field)-loi\"") && response.text.contains("aria-invalid=\"true\""))
                // What was typed is kept in the form.
                #expect(response.text.contains("Xin chào"))
            }
            #expect(try await NoticeTemplateStore(database: database).history(.accepted).isEmpty)
            #expect(try await browser.get("/quan-tri/mau-thong-bao/khong-co").status == .notFound)
        }
    }
}
