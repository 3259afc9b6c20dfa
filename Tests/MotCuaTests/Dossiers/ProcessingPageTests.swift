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
}
