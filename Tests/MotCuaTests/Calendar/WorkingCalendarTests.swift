import Foundation
import Testing

@testable import MotCua

@Suite("Working days and the lunar calendar")
struct WorkingCalendarTests {
    @Test("Tết and Hùng Kings day fall on the dates SPEC.md gives (UTC+7 lunar calendar)", arguments: [
        (2024, CivilDate(2024, 2, 10), CivilDate(2024, 4, 18)),
        (2025, CivilDate(2025, 1, 29), CivilDate(2025, 4, 7)),
        (2026, CivilDate(2026, 2, 17), CivilDate(2026, 4, 26)),
    ])
    func lunarDates(year: Int, tet: CivilDate, hungKings: CivilDate) {
        #expect(LunarCalendar.newYear(year) == tet)
        #expect(LunarCalendar.solarDate(lunarDay: 10, lunarMonth: 3, lunarYear: year) == hungKings)
    }

    /// 2007 is a year where the Vietnamese (UTC+7) and Chinese (UTC+8) new years differ: 17 vs 18 February.
    @Test("The new year of 2007 is computed for Vietnam's time zone, not China's")
    func vietnameseTimeZone() {
        #expect(LunarCalendar.newYear(2007) == CivilDate(2007, 2, 17))
    }

    private func vietnam(_ y: Int, _ m: Int, _ d: Int, _ hour: Int = 10, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = WorkingCalendar.vietnam
        return calendar.date(from: DateComponents(year: y, month: m, day: d, hour: hour, minute: minute))!
    }

    @Test("Deadlines count working days after the day of receipt and keep the time of day")
    func deadlines() {
        let calendar = WorkingCalendar()
        // Monday 10:00 + 2 working days → Wednesday 10:00.
        #expect(calendar.deadline(from: vietnam(2026, 11, 23), workingDays: 2) == vietnam(2026, 11, 25))
        // Friday 15:30 + 1 → Monday 15:30.
        #expect(calendar.deadline(from: vietnam(2026, 11, 27, 15, 30), workingDays: 1) == vietnam(2026, 11, 30, 15, 30))
        // Received on a Saturday: the first working day counted is Monday.
        #expect(calendar.deadline(from: vietnam(2026, 11, 28), workingDays: 1) == vietnam(2026, 11, 30))
        // Tết 2026: 16–20 February are off (the last day of the old year and four days of the new one).
        #expect(calendar.deadline(from: vietnam(2026, 2, 13), workingDays: 1) == vietnam(2026, 2, 23))
        // 30 April and 1 May 2026 (Thursday, Friday).
        #expect(calendar.deadline(from: vietnam(2026, 4, 29), workingDays: 1) == vietnam(2026, 5, 4))
        // 10 working days across National Day 2026 (1–2 September, Tuesday–Wednesday).
        #expect(calendar.deadline(from: vietnam(2026, 8, 24), workingDays: 10) == vietnam(2026, 9, 9))
    }

    @Test("A holiday on a weekend gives the next working day off")
    func substituteDays() {
        // 1 January 2022 was a Saturday: Monday 3 January was off.
        let holidays = WorkingCalendar.publicHolidays(2022)
        #expect(holidays.contains(CivilDate(2022, 1, 3)))
        #expect(!WorkingCalendar().isWorkingDay(CivilDate(2022, 1, 3)))
        // Hùng Kings day 2026 is a Sunday (26 April): Monday 27 April is off.
        #expect(!WorkingCalendar().isWorkingDay(CivilDate(2026, 4, 27)))
        #expect(WorkingCalendar().isWorkingDay(CivilDate(2026, 4, 28)))
    }

    @Test("Administrators' extra days off and make-up Saturdays change the count")
    func overrides() {
        let bridge = CivilDate(2026, 11, 24)
        let makeUp = CivilDate(2026, 11, 28)
        let calendar = WorkingCalendar(overrides: [bridge: .dayOff, makeUp: .workingDay])
        #expect(!calendar.isWorkingDay(bridge) && calendar.isWorkingDay(makeUp))
        // Monday + 1: Tuesday is off, so Wednesday.
        #expect(calendar.deadline(from: vietnam(2026, 11, 23), workingDays: 1) == vietnam(2026, 11, 25))
        // Friday + 1: the make-up Saturday counts.
        #expect(calendar.deadline(from: vietnam(2026, 11, 27), workingDays: 1) == vietnam(2026, 11, 28))
    }

    @Test("Calendar dates parse strictly")
    func parsing() {
        #expect(CivilDate(iso: "2026-02-17") == CivilDate(2026, 2, 17))
        #expect(CivilDate(iso: "2026-02-31") == nil)
        #expect(CivilDate(iso: "17/02/2026") == nil)
        #expect(CivilDate(2026, 11, 24).weekday == 1)  // a Tuesday
    }
}

@Suite("Vietnamese date formatting")
struct VietnameseDateFormatTests {
    /// 2026-11-24 00:00 UTC.
    static let day: Int64 = 1_795_478_400_000
    static let cases: [(Int64, String)] = [
        (0, "01/01/1970 07:00"),
        (day, "24/11/2026 07:00"),
        (day + 61_199_999, "24/11/2026 23:59"),  // 16:59:59.999 UTC
        (day + 61_200_000, "25/11/2026 00:00"),  // 17:00 UTC
        (-1, "01/01/1970 06:59"),
        (951_782_400_000, "29/02/2000 07:00"),
    ]

    @Test("Unix milliseconds show as Vietnam time (UTC+7, no daylight saving)", arguments: cases)
    func dateTime(milliseconds: Int64, expected: String) {
        #expect(VietnameseFormat.dateTime(milliseconds) == expected)
    }

    @Test("The arithmetic agrees with Foundation's calendar for the Asia/Ho_Chi_Minh zone")
    func agreesWithFoundation() {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        formatter.dateFormat = "dd/MM/yyyy HH:mm"
        var value: Int64 = 946_684_800_000  // 2000-01-01
        while value < 2_051_222_400_000 {  // 2035
            #expect(VietnameseFormat.dateTime(value) == formatter.string(from: Date(timeIntervalSince1970: Double(value) / 1000)))
            value += 7_919_999_937  // about 92 days and an odd number of milliseconds
        }
    }
}
