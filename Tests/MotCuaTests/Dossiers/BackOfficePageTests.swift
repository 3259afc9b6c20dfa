import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

@Suite("Back office pages")
struct BackOfficePageTests {
    static let password = "Mot-cua-2026-an-toan"

    private static func staff(_ database: any Database, _ email: String, _ role: StaffRole, agency: String = "000.00.08.H06") async throws {
        let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                      publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
        _ = try await accounts.createStaff(email: email, name: "Cán bộ \(role.label)", role: role, agencyCode: agency, password: password)
    }

    private static func signIn(_ browser: BrowserClient, _ email: String, password: String = BackOfficePageTests.password) async throws {
        try await browser.post("/dang-xuat", [:])
        let response = try await browser.post("/dang-nhap", ["email": email, "password": password])
        #expect(response.status == .seeOther, "sign in \(email)")
    }

    @Test("Desk, processor and leader take a dossier through supplement, acceptance with a receipt, result and return")
    func journey() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            for (email, role) in [("tn@example.vn", StaffRole.receptionist), ("cv@example.vn", .processor), ("ld@example.vn", .leader)] {
                try await Self.staff(database, email, role)
            }
            try await Self.staff(database, "khac@example.vn", .receptionist, agency: "000.00.07.H52")
            // A citizen files a complete dossier through the pages.
            try await Citizen.registerAndSignIn(browser, mail: mail)
            let created = try await browser.post("\(FilingJourneyTests.procedurePath)/nop-ho-so", try await FilingJourneyTests.validFields(database))
            let dossierPath = String(try #require(created.headers[.location]).split(separator: "?")[0])
            let procedure = try #require(try await CatalogReader(repository: SQLCatalogRepository(database: database))
                .procedure(agencyCode: "000.00.08.H06", code: "1.005384"))
            for document in procedure.requiredDocuments where document.mandatory {
                #expect(try await browser.upload("\(dossierPath)/tep/\(document.position + 1)", fileName: "don.pdf", bytes: FilingJourneyTests.pdf).status == .seeOther)
            }
            #expect(try await browser.post("\(dossierPath)/nop", [:]).status == .seeOther)
            let submitted = try await browser.get("\(dossierPath)/da-nop")
            let code = try #require(submitted.text.firstMatch(of: /000\.00\.08\.H06-\d{6}-\d{4}/).map { String($0.0) })
            let id = try #require(dossierPath.split(separator: "/").last.map(String.init))
            let office = "/mot-cua/ho-so/\(id)"
            // Citizens have no back office; the refusal page still shows who is signed in.
            let refused = try await browser.get("/mot-cua")
            #expect(refused.status == .forbidden && refused.text.contains("Tài khoản: Nguyễn Văn An") && !refused.text.contains("href=\"/dang-nhap\""))
            #expect(try await browser.get(office).status == .forbidden)

            // Another agency's receptionist: the dossier does not exist for them.
            try await Self.signIn(browser, "khac@example.vn")
            #expect(try await browser.get(office).status == .notFound)
            #expect(!(try await browser.get("/mot-cua").text.contains(code)))

            // The desk: the list, the dossier, a supplement request (a note is required).
            try await Self.signIn(browser, "tn@example.vn")
            let list = try await browser.get("/mot-cua?trang-thai=1")
            #expect(list.status == .ok && list.text.contains(code) && list.text.contains("Nguyễn Văn An"))
            #expect(try await browser.get("/mot-cua?ma=\(code)").text.contains(code))
            #expect(try await browser.get("/mot-cua?ma=%3Cscript%3E").text.contains("Mã hồ sơ không đúng dạng"))
            let page = try await browser.get(office)
            #expect(page.text.contains("Tiếp nhận hồ sơ") && page.text.contains("Yêu cầu bổ sung") && page.text.contains("Từ chối tiếp nhận"))
            #expect(!page.text.contains("Bắt đầu xử lý"))
            let fileURL = try #require(page.text.firstMatch(of: /href="(\/mot-cua\/ho-so\/\d+\/tep\/\d+)"/).map { String($0.1) })
            let file = try await browser.get(fileURL)
            #expect(file.status == .ok && Array(file.body.readableBytesView) == FilingJourneyTests.pdf)
            let noNote = try await browser.post("\(office)/xu-ly", ["action": "requestSupplement", "note": ""])
            #expect(noNote.status == .unprocessableContent && noNote.text.contains("aria-invalid=\"true\""))
            let asked = try await browser.post("\(office)/xu-ly", ["action": "requestSupplement", "note": "Bổ sung bản sao văn bằng."])
            #expect(asked.status == .seeOther && asked.headers[.location]?.hasPrefix(office) == true)

            // The citizen sees the request, adds a file and sends the dossier back.
            try await Self.signIn(browser, "an.nguyen@example.vn", password: Citizen.password)
            let waiting = try await browser.get(dossierPath)
            #expect(waiting.text.contains("Bổ sung bản sao văn bằng.") && waiting.text.contains("Gửi hồ sơ bổ sung"))
            #expect(try await browser.upload("\(dossierPath)/tep/1", fileName: "van-bang.pdf", bytes: FilingJourneyTests.pdf).status == .seeOther)
            #expect(try await browser.post("\(dossierPath)/bo-sung", ["note": ""]).status == .unprocessableContent)
            let answered = try await browser.post("\(dossierPath)/bo-sung", ["note": "Đã bổ sung văn bằng."])
            #expect(answered.status == .seeOther)
            #expect(try await browser.get(dossierPath).text.contains("Bạn đã bổ sung hồ sơ"))

            // The desk accepts: receipt slip with the code and the appointment date.
            try await Self.signIn(browser, "tn@example.vn")
            #expect(try await browser.get("\(office)/phieu-tiep-nhan").status == .conflict)
            #expect(try await browser.post("\(office)/xu-ly", ["action": "accept"]).status == .seeOther)
            let slip = try await browser.get("\(office)/phieu-tiep-nhan")
            #expect(slip.status == .ok && slip.text.contains("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ") && slip.text.contains(code))
            let dossier = try #require(try await DossierStore(database: database).dossier(id: Int64(id)!))
            let due = VietnameseFormat.dateTime(try #require(dossier.dueAt))
            #expect(slip.text.contains(due) && slip.text.contains("\(procedure.processingDays) ngày làm việc"))
            // A second decision on the same dossier: 409 with the page, status unchanged.
            #expect(try await browser.post("\(office)/xu-ly", ["action": "refuse", "note": "x"]).status == .conflict)

            // The processor works on it and attaches the result; the leader approves.
            // The desk forwards it to the processor of the unit the process names.
            let cv = try #require(try await UserStore(database: database).credentials(email: "cv@example.vn")?.user.id)
            let ld = try #require(try await UserStore(database: database).credentials(email: "ld@example.vn")?.user.id)
            try await TestUnits.place(database, userID: cv, in: "Phòng Công chức, viên chức")
            try await TestUnits.place(database, userID: ld, in: ProcessStep.leadershipUnit)
            let forwardForm = try await browser.get(office)
            #expect(forwardForm.text.contains("name=\"to\"") && forwardForm.text.contains("Cán bộ \(StaffRole.processor.label)"))
            #expect(try await browser.post("\(office)/xu-ly", ["action": "forward", "to": String(cv)]).status == .seeOther)
            // The desk now sees it read-only.
            #expect(!(try await browser.get(office).text.contains("value=\"forward\"")))
            try await Self.signIn(browser, "cv@example.vn")
            let processing = try await browser.get(office)
            #expect(processing.text.contains("Tải lên kết quả"))
            #expect(processing.text.contains("action=\"\(office)/ket-qua?_csrf="))
            #expect(try await browser.upload("\(office)/ket-qua", fileName: "Quyết định.pdf", bytes: FilingJourneyTests.pdf).status == .seeOther)
            // Through the unit's second step to the leader, who approves.
            #expect(try await browser.post("\(office)/xu-ly", ["action": "forward"]).status == .seeOther)
            #expect(try await browser.post("\(office)/xu-ly", ["action": "forward", "to": String(ld)]).status == .seeOther)
            try await Self.signIn(browser, "ld@example.vn")
            #expect(try await browser.post("\(office)/xu-ly", ["action": "finish"]).status == .seeOther)

            // The citizen downloads the result.
            try await Self.signIn(browser, "an.nguyen@example.vn", password: Citizen.password)
            let done = try await browser.get(dossierPath)
            #expect(done.text.contains("Kết quả giải quyết") && done.text.contains("Quyết định.pdf"))
            let resultURL = try #require(done.text.firstMatch(of: /<h2 id="ket-qua">[^<]*<\/h2>\s*<ul[^>]*><li><a href="([^"]+)"/).map { String($0.1) })
            let result = try await browser.get(resultURL)
            #expect(result.status == .ok && result.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(try await mail.messages(to: "an.nguyen@example.vn").contains { $0.bodyText.contains("đã có kết quả") })

            // The desk returns it; the history names every step.
            try await Self.signIn(browser, "tn@example.vn")
            #expect(try await browser.post("\(office)/xu-ly", ["action": "returnResult"]).status == .seeOther)
            let final = try await browser.get(office)
            #expect(final.text.contains("Đã trả kết quả") && !final.text.contains("name=\"action\""))
        }
    }
}
