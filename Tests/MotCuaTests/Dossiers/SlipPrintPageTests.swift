import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import MotCua

/// The print pages of slips 01–05: the supplement request (mẫu 02) and the refusal (mẫu 03) as they were issued,
/// and on every slip page the QR code of the dossier's public lookup URL as inline SVG, which a real renderer
/// (librsvg) and a real reader (zbar) read back to that URL.
@Suite("Slip print pages")
struct SlipPrintPageTests {
    static let password = "Mot-cua-2026-an-toan"
    static let applicantName = "Nguyễn Thị Hằng"

    struct Issued {
        /// Each page's URL with the code of the dossier it belongs to, by form.
        var pages: [(form: String, url: String, code: String)]
        var supplementDossier: Int64
    }

    private static func staff(_ database: any Database, _ email: String, _ name: String, _ role: StaffRole, unit: String) async throws {
        let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                      publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
        _ = try await accounts.createStaff(email: email, name: name, role: role, agencyCode: APIFiling.agency, password: password,
                                           unitName: unit)
    }

    private static func signIn(_ browser: BrowserClient, _ email: String) async throws {
        try await browser.post("/dang-xuat", [:])
        #expect(try await browser.post("/dang-nhap", ["email": email, "password": password]).status == .seeOther, "sign in \(email)")
    }

    /// Three dossiers of one applicant at the desk: one accepted and apologised for (01, 04, 05), one asked for a
    /// supplement (02), one refused (03).
    private static func issueAll(_ browser: BrowserClient, _ database: any Database) async throws -> Issued {
        let user = try await database.transaction { db in
            try await UserStore.insert(NewUser(kind: .individual, email: "hang@example.vn", passwordHash: "-", displayName: applicantName,
                                               citizenID: "001199000321", phone: "0912345678", address: "Số 3 Tô Hiệu, Sơn La",
                                               emailVerified: true), in: db)
        }
        let citizen = APICitizen(token: try await APITokenStore(database: database).create(userID: user.id, name: "test"), user: user)
        try await staff(database, "tn@example.vn", "Lê Thị Tiếp", .receptionist, unit: ProcessStep.receptionUnit)
        let accepted = try await APIFiling.submitted(browser, citizen, database: database)
        let supplemented = try await APIFiling.submitted(browser, citizen, database: database)
        let refused = try await APIFiling.submitted(browser, citizen, database: database)
        try await signIn(browser, "tn@example.vn")
        func act(_ id: Int64, _ fields: [String: String]) async throws {
            let response = try await browser.post("/mot-cua/ho-so/\(id)/xu-ly", fields)
            #expect(response.status == .seeOther, "\(fields["action"] ?? "")")
        }
        try await act(accepted.id, ["action": "accept"])
        let due = try #require(try await DossierStore(database: database).dossier(id: accepted.id)?.dueAt)
        var later = OfficeHours.civilDate(day: OfficeHours.split(due).day).adding(days: 7)
        while !WorkingCalendar().isWorkingDay(later) { later = later.adding(days: 1) }
        try await act(accepted.id, ["action": "apologize", "note": "Chờ ý kiến của Bộ.", "new_due_date": later.description])
        try await act(supplemented.id, ["action": "requestSupplement",
                                        "note": "Bản sao văn bằng có chứng thực.\nẢnh chân dung 4x6 chụp trong 6 tháng."])
        try await act(refused.id, ["action": "refuse", "note": "Thủ tục không thuộc thẩm quyền của Sở Nội vụ."])
        let accepted1 = "/mot-cua/ho-so/\(accepted.id)"
        return Issued(pages: [
            ("01", "\(accepted1)/phieu-tiep-nhan", accepted.code!),
            ("02", "/mot-cua/ho-so/\(supplemented.id)/phieu-bo-sung/1", supplemented.code!),
            ("03", "/mot-cua/ho-so/\(refused.id)/phieu-tu-choi/1", refused.code!),
            ("04", "\(accepted1)/phieu-xin-loi/1", accepted.code!),
            ("05", "\(accepted1)/phieu-kiem-soat", accepted.code!),
        ], supplementDossier: supplemented.id)
    }

    @Test("Mẫu 02 and 03 print as issued: header, number, items or reason, names of that day, layout version; linked from the dossier")
    func supplementAndRefusal() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let issued = try await Self.issueAll(browser, database)
            let supplement = try #require(issued.pages.first { $0.form == "02" })
            let refusal = try #require(issued.pages.first { $0.form == "03" })
            // Names change afterwards: the slips keep those of the day they were issued.
            try await database.transaction { db in
                try await db.raw("UPDATE users SET display_name = 'Tên Đã Đổi' WHERE email IN ('tn@example.vn', 'hang@example.vn')").run()
            }
            let staffPage = try await browser.get("/mot-cua/ho-so/\(issued.supplementDossier)")
            #expect(staffPage.text.contains("href=\"\(supplement.url)\""), "the dossier page links the print page of mẫu 02")

            let page02 = try await browser.get(supplement.url)
            #expect(page02.status == .ok)
            let text02 = page02.text
            for expected in ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "SỞ NỘI VỤ", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", "Số: 0001/",
                             "<li>Bản sao văn bằng có chứng thực.</li>", "<li>Ảnh chân dung 4x6 chụp trong 6 tháng.</li>",
                             Self.applicantName, "Lê Thị Tiếp", supplement.code, "Mẫu số 02", DossierSlips.layoutVersion, "<svg"] {
                #expect(text02.contains(expected), "mẫu 02 lacks \(expected)")
            }
            let slip02 = try #require(text02.firstMatch(of: /<article class="slip"[\s\S]*<\/article>/).map { String($0.0) })
            #expect(!slip02.contains("Tên Đã Đổi"), "the slip shows today's names, not those of the day it was issued")

            let page03 = try await browser.get(refusal.url)
            #expect(page03.status == .ok)
            for expected in ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Thủ tục không thuộc thẩm quyền của Sở Nội vụ.", "Số: 0001/",
                             Self.applicantName, "Lê Thị Tiếp", refusal.code, "Mẫu số 03", DossierSlips.layoutVersion, "<svg"] {
                #expect(page03.text.contains(expected), "mẫu 03 lacks \(expected)")
            }
            // The PDF linked from the page is the one issued at the step.
            let pdfURL = try #require(page03.text.firstMatch(of: /href="(\/mot-cua\/ho-so\/\d+\/phieu\/\d+)"/).map { String($0.1) })
            let pdf = try await browser.get(pdfURL)
            #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf")

            // A slip that was not issued, or a number that is not one: a message, not an error.
            let missing = try await browser.get(supplement.url.replacingOccurrences(of: "/phieu-bo-sung/1", with: "/phieu-bo-sung/2"))
            #expect(missing.status == .notFound && missing.text.contains("Không tìm thấy phiếu này."))
            #expect(try await browser.get(supplement.url.replacingOccurrences(of: "/1", with: "/mot")).status == .notFound)
            #expect(try await browser.get(refusal.url.replacingOccurrences(of: "phieu-tu-choi", with: "phieu-bo-sung")).status == .notFound)
        }
    }

    @Test("Every slip page 01–05 carries the lookup URL's QR code as inline SVG, without script")
    func qrOnEveryPage() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let issued = try await Self.issueAll(browser, database)
            for page in issued.pages {
                let response = try await browser.get(page.url)
                #expect(response.status == .ok, "mẫu \(page.form)")
                // The number of the slip issued as PDF (the control slip has none before the return or a stop).
                #expect(response.text.contains("Số: 0001/") == (page.form != "05"), "mẫu \(page.form)")
                let svg = try #require(Self.svg(in: response.text), "mẫu \(page.form) has no QR code")
                #expect(svg.contains("aria-label=\"Mã QR tra cứu hồ sơ \(page.code)\"") && !svg.contains("<script"))
                // The same symbol the encoder makes for the lookup URL, module for module.
                let code = try QRCode(text: "http://127.0.0.1:8080/tra-cuu?ma=\(page.code)", errorCorrection: .medium)
                #expect(svg == code.svg(label: "Mã QR tra cứu hồ sơ \(page.code)"), "mẫu \(page.form)")
            }
        }
    }

    @Test("The QR code on each slip page, drawn by librsvg, reads back (zbarimg) as the dossier's lookup URL",
          .enabled(if: ExternalTool.available("rsvg-convert", "zbarimg"),
                   "rsvg-convert or zbarimg is missing: apt-get install librsvg2-bin zbar-tools (scripts/test does)"))
    func qrDecodes() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let issued = try await Self.issueAll(browser, database)
            let scratch = try ScratchDirectory()
            defer { scratch.remove() }
            for page in issued.pages {
                let svg = try #require(Self.svg(in: try await browser.get(page.url).text))
                let svgPath = try scratch.write(Array(svg.utf8), to: "mau-\(page.form).svg")
                let pngPath = scratch.file("mau-\(page.form).png")
                let drawn = try ExternalTool.run("rsvg-convert", ["--width", "330", "--format", "png", "--output", pngPath, svgPath])
                #expect(drawn.status == 0, "rsvg-convert: \(drawn.errors)")
                let read = try ExternalTool.run("zbarimg", ["--raw", "-q", pngPath])
                #expect(read.status == 0, "zbarimg read nothing on mẫu \(page.form): \(read.errors)")
                #expect(read.output.trimmingCharacters(in: .whitespacesAndNewlines) == "http://127.0.0.1:8080/tra-cuu?ma=\(page.code)",
                        "mẫu \(page.form)")
            }
        }
    }

    static func svg(in html: String) -> String? {
        html.firstMatch(of: /<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*role="img"[\s\S]*?<\/svg>/).map { String($0.0) }
    }
}
