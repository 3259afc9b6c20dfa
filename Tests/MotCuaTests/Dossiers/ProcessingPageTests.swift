import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// The back office's pages for processing: work-list tabs with counts, the search form, the control slip
/// (mẫu 05) and the apology slip (mẫu 04), and what the applicant and the public lookup see of an apology.
@Suite("Processing pages")
struct ProcessingPageTests {
    static let password = "Mot-cua-2026-an-toan"

    private static func staff(_ database: any Database, _ email: String, _ role: StaffRole, unit: String) async throws -> Int64 {
        let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                      publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
        return try await accounts.createStaff(email: email, name: "Cán bộ \(email)", role: role, agencyCode: APIFiling.agency,
                                              password: password, unitName: unit).0.id
    }

    private static func signIn(_ browser: BrowserClient, _ email: String) async throws {
        try await browser.post("/dang-xuat", [:])
        #expect(try await browser.post("/dang-nhap", ["email": email, "password": password]).status == .seeOther, "sign in \(email)")
    }

    @Test("Tabs with counts, read-only for others, control slip with marks, apology slip; the applicant and the lookup see the new date")
    func pages() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let citizen = try await APICitizen.make(database, email: "cong.dan@example.vn", citizenID: "001099000111")
            _ = try await Self.staff(database, "tn@example.vn", .receptionist, unit: ProcessStep.receptionUnit)
            let cv = try await Self.staff(database, "cv@example.vn", .processor, unit: "Phòng Công chức, viên chức")
            _ = try await Self.staff(database, "ld@example.vn", .leader, unit: ProcessStep.leadershipUnit)
            let dossier = try await APIFiling.submitted(browser, citizen, database: database)
            let office = "/mot-cua/ho-so/\(dossier.id)"

            try await Self.signIn(browser, "tn@example.vn")
            let list = try await browser.get("/mot-cua")
            #expect(list.text.contains("Chờ tiếp nhận <span class=\"count\">1</span>"))
            #expect(list.text.contains("aria-current=\"page\"") && list.text.contains(dossier.code!))
            // The search form: by applicant ID number, and a malformed date is a message, not an error page.
            #expect(try await browser.get("/mot-cua?hang-doi=tat-ca&nguoi-nop=001099000111").text.contains(dossier.code!))
            #expect(!(try await browser.get("/mot-cua?hang-doi=tat-ca&nguoi-nop=001099000999").text.contains(dossier.code!)))
            #expect(try await browser.get("/mot-cua?hang-doi=tat-ca&tu-ngay=hom-qua").text.contains("YYYY-MM-DD"))
            // No control slip before acceptance.
            #expect(try await browser.get("\(office)/phieu-kiem-soat").status == .conflict)
            #expect(try await browser.post("\(office)/xu-ly", ["action": "accept"]).status == .seeOther)
            #expect(try await browser.post("\(office)/xu-ly", ["action": "forward", "to": String(cv)]).status == .seeOther)
            let readOnly = try await browser.get(office)
            #expect(readOnly.text.contains("Tiến độ xử lý") && readOnly.text.contains("Cán bộ cv@example.vn"))
            // The receipt (mẫu 01) was issued as a PDF at acceptance and is linked from the page.
            let slipURL = try #require(readOnly.text.firstMatch(of: /href="(\/mot-cua\/ho-so\/\d+\/phieu\/\d+)"/).map { String($0.1) })
            let pdf = try await browser.get(slipURL)
            #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf" && pdf.text.hasPrefix("%PDF-"))
            #expect(!readOnly.text.contains("value=\"forward\""))
            // Forwarding with someone else's id: a message, nothing changes.
            #expect(try await browser.post("\(office)/xu-ly", ["action": "forward", "to": "abc"]).status.code >= 400)

            try await Self.signIn(browser, "cv@example.vn")
            let mine = try await browser.get("/mot-cua?hang-doi=dang-xu-ly")
            #expect(mine.text.contains("Tôi đang xử lý <span class=\"count\">1</span>") && mine.text.contains(dossier.code!))
            // A send-back from the first processing step is refused with a message on the page.
            let refused = try await browser.post("\(office)/xu-ly", ["action": "sendBack", "note": "Trả lại"])
            #expect(refused.status == .unprocessableContent && refused.text.contains("không có bước trước"))

            // The control slip: A4, the slip's title, each stay, its marks.
            let slip = try await browser.get("\(office)/phieu-kiem-soat")
            #expect(slip.status == .ok && slip.text.contains("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"))
            // The desk's step was handed on at once: early if its due moment falls on a later day (after 13:00), else on time.
            let desk = try #require(try await DossierStore(database: database).handovers(dossierID: dossier.id).first)
            let mark = OfficeHours.split(desk.dueAt).day > OfficeHours.split(desk.receivedAt).day ? "Trước hạn" : "Đúng hạn"
            #expect(slip.text.contains("Mẫu số 05") && slip.text.contains(mark) && slip.text.contains("Đang xử lý"))
            #expect(slip.text.contains("Cán bộ tn@example.vn") && slip.text.contains("Cán bộ cv@example.vn"))

            // The desk apologises: a date before the appointment is refused beside the form; a later one is kept.
            try await Self.signIn(browser, "tn@example.vn")
            let due = try #require(try await DossierStore(database: database).dossier(id: dossier.id)?.dueAt)
            let dueDay = OfficeHours.civilDate(day: OfficeHours.split(due).day)
            let early = try await browser.post("\(office)/xu-ly", [
                "action": "apologize", "note": "Chậm do chờ ý kiến.", "new_due_date": dueDay.adding(days: -1).description,
            ])
            #expect(early.status == .unprocessableContent && early.text.contains("Ngày hẹn mới phải sau ngày hẹn hiện tại"))
            var later = dueDay.adding(days: 7)
            while !WorkingCalendar().isWorkingDay(later) { later = later.adding(days: 1) }
            #expect(try await browser.post("\(office)/xu-ly", [
                "action": "apologize", "note": "Chậm do chờ ý kiến của Bộ.", "new_due_date": later.description,
            ]).status == .seeOther)
            let apologySlip = try await browser.get("\(office)/phieu-xin-loi/1")
            #expect(apologySlip.status == .ok && apologySlip.text.contains("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"))
            #expect(apologySlip.text.contains("Chậm do chờ ý kiến của Bộ.") && apologySlip.text.contains("Mẫu số 04"))
            #expect(try await browser.get("\(office)/phieu-xin-loi/2").status == .notFound)

            // The applicant sees the apology and the new date; the public lookup the day only, not the reason.
            let seen = try await browser.client.execute(uri: "/api/v1/dossiers/\(dossier.id)", method: .get, headers: citizen.auth)
            let newDue = try #require(try seen.json(StaffDossierBody.self).dueAt)
            #expect(VietnameseFormat.day(newDue) == String(format: "%02d/%02d/%d", later.day, later.month, later.year))
            try await browser.post("/dang-xuat", [:])
            let lookup = try await browser.get("/tra-cuu?ma=\(dossier.code!)")
            #expect(lookup.text.contains("Hẹn lại ngày trả kết quả") && lookup.text.contains(VietnameseFormat.day(newDue)))
            #expect(!lookup.text.contains("Chậm do chờ ý kiến"))
        }
    }

    @Test("The tracking book (mẫu 06): print page, CSV with BOM, XLSX that Python's zipfile reads back; a range over a year is refused")
    func trackingBook() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let citizen = try await APICitizen.make(database, email: "cong.dan@example.vn", citizenID: "001099000111")
            _ = try await Self.staff(database, "tn@example.vn", .receptionist, unit: ProcessStep.receptionUnit)
            let cv = try await Self.staff(database, "cv@example.vn", .processor, unit: "Phòng Công chức, viên chức")
            let dossier = try await APIFiling.submitted(browser, citizen, database: database)
            let waiting = try await APIFiling.submitted(browser, citizen, database: database)
            try await Self.signIn(browser, "tn@example.vn")
            #expect(try await browser.post("/mot-cua/ho-so/\(dossier.id)/xu-ly", ["action": "accept"]).status == .seeOther)
            #expect(try await browser.post("/mot-cua/ho-so/\(dossier.id)/xu-ly", ["action": "forward", "to": String(cv)]).status == .seeOther)

            // This month by default: the accepted dossier, not the one still waiting at the desk.
            let page = try await browser.get("/mot-cua/so-theo-doi")
            #expect(page.status == .ok && page.text.contains("SỔ THEO DÕI HỒ SƠ") && page.text.contains(dossier.code!))
            #expect(!page.text.contains(waiting.code!) && page.text.contains("Mẫu số 06"))
            // By unit: it passed through Phòng Công chức, viên chức, never through Ban Tôn giáo.
            let units = try await UnitStore(database: database).units(agencyCode: APIFiling.agency)
            let office = try #require(units.first { $0.name == "Phòng Công chức, viên chức" })
            let religion = try #require(units.first { $0.name == "Ban Tôn giáo" })
            #expect(try await browser.get("/mot-cua/so-theo-doi?don-vi=\(office.id)").text.contains(dossier.code!))
            #expect(!(try await browser.get("/mot-cua/so-theo-doi?don-vi=\(religion.id)").text.contains(dossier.code!)))

            let csv = try await browser.get("/mot-cua/so-theo-doi?dinh-dang=csv")
            let csvBytes = Array(csv.body.readableBytesView)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && csvBytes.starts(with: [0xEF, 0xBB, 0xBF]))
            #expect(csv.text.contains("\"Công dân cong.dan@example.vn\"") && csv.text.contains(dossier.code!))

            let xlsx = try await browser.get("/mot-cua/so-theo-doi?dinh-dang=xlsx")
            #expect(xlsx.headers[.contentDisposition]?.contains(".xlsx") == true)
            let lines = try SpreadsheetReader.rows(xlsx).map { $0.joined(separator: "|") }
            #expect(lines.first?.hasPrefix("STT|Mã hồ sơ|Thủ tục|Người nộp") == true)
            #expect(lines.count == 2 && lines[1].hasPrefix("1|\(dossier.code!)|") && lines[1].contains("Công dân cong.dan@example.vn"))

            // More than a year, or backwards: a message, and no file.
            let long = try await browser.get("/mot-cua/so-theo-doi?tu-ngay=2025-01-01&den-ngay=2026-06-01")
            #expect(long.status == .badRequest && long.text.contains("tối đa một năm"))
            #expect(try await browser.get("/mot-cua/so-theo-doi?tu-ngay=2026-06-01&den-ngay=2026-05-01&dinh-dang=csv").status == .badRequest)
            #expect(try await browser.get("/mot-cua/so-theo-doi?dinh-dang=pdf").status == .badRequest)
        }
    }

    @Test("CSV fields are quoted, quotes doubled, and a value that starts like a formula is made text")
    func csvFields() {
        #expect(CSVWriter.field("Nguyễn \"An\"") == "\"Nguyễn \"\"An\"\"\"")
        #expect(CSVWriter.field("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        #expect(CSVWriter.field("-1") == "\"'-1\"" && CSVWriter.field("@cmd") == "\"'@cmd\"")
        #expect(XLSXWriter.columnName(0) == "A" && XLSXWriter.columnName(25) == "Z" && XLSXWriter.columnName(26) == "AA")
    }

    /// Runs a Python 3 script (the standard library only) and returns what it printed.
    static func python(_ script: String, _ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }
}
