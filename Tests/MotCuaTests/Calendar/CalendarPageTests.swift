import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import MotCua

@Suite("Working calendar administration")
struct CalendarPageTests {
    @Test("The system administrator adds and removes an announced day off; deadlines follow it")
    func announceDayOff() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                          publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
            _ = try await accounts.createStaff(email: "qt@example.vn", name: "Quản trị", role: .systemAdmin, agencyCode: nil,
                                              password: "Quan-tri-2026-x")
            try await browser.post("/dang-nhap", ["email": "qt@example.vn", "password": "Quan-tri-2026-x"])
            let page = try await browser.get("/quan-tri/lich-lam-viec?nam=2026")
            // The statutory holidays of 2026, Tết (17 February) among them.
            #expect(page.status == .ok && page.text.contains("2026-02-17") && page.text.contains("2026-04-27"))

            let bad = try await browser.post("/quan-tri/lich-lam-viec", ["ngay": "2026-02-30", "loai": "off"])
            #expect(bad.status == .unprocessableContent && bad.text.contains("Ngày không hợp lệ"))
            let bridge = CivilDate(2026, 12, 31)
            let saved = try await browser.post("/quan-tri/lich-lam-viec", ["ngay": "2026-12-31", "loai": "off", "ghi-chu": "Nghỉ bù Tết Dương lịch"])
            #expect(saved.status == .seeOther)
            #expect(try await browser.get("/quan-tri/lich-lam-viec?nam=2026").text.contains("Nghỉ bù Tết Dương lịch"))
            let calendar = try await CalendarOverrides(database: database).calendar()
            #expect(!calendar.isWorkingDay(bridge))
            // Wednesday 30 December 2026 + 1 working day: 31 December is off, 1 January is a holiday → Monday 4 January.
            var gregorian = Calendar(identifier: .gregorian)
            gregorian.timeZone = WorkingCalendar.vietnam
            let start = gregorian.date(from: DateComponents(year: 2026, month: 12, day: 30, hour: 9))!
            let due = gregorian.dateComponents([.year, .month, .day], from: calendar.deadline(from: start, workingDays: 1))
            #expect((due.year, due.month, due.day) == (2027, 1, 4))

            #expect(try await browser.post("/quan-tri/lich-lam-viec/xoa", ["ngay": "2026-12-31"]).status == .seeOther)
            #expect(try await CalendarOverrides(database: database).calendar().isWorkingDay(bridge))
        }
    }
}
