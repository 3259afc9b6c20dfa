import Foundation
import Testing

@testable import MotCua

/// Step allowances in office time (SPEC.md, "Working days"), with the worked examples of the spec.
@Suite("Office hours")
struct OfficeHoursTests {
    let hours = OfficeHours.standard
    let calendar = WorkingCalendar()

    /// A Vietnam-time moment in milliseconds.
    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Int64 {
        let date = CivilDate(year, month, day)
        return OfficeHours.instant(day: Int64(date.julianDay - OfficeHours.epochJulianDay), timeOfDay: Int64(hour * 60 + minute) * 60_000)
    }

    @Test("Forwarded Wednesday 11:00 with half a day: due 16:30 the same day (30 minutes before noon, 3 h 30 after)")
    func halfDayAcrossLunch() {
        // 9 December 2026 is a Wednesday.
        #expect(hours.adding(halfDays: 1, to: Self.at(2026, 12, 9, 11), calendar: calendar) == Self.at(2026, 12, 9, 16, 30))
    }

    @Test("Forwarded during the lunch break with half a day: counts from 13:00, due 17:00")
    func fromLunchBreak() {
        #expect(hours.adding(halfDays: 1, to: Self.at(2026, 12, 9, 12, 15), calendar: calendar) == Self.at(2026, 12, 9, 17))
    }

    @Test("Forwarded Friday 16:00 with one day: due Monday 16:00, the weekend skipped")
    func acrossWeekend() {
        #expect(hours.adding(halfDays: 2, to: Self.at(2026, 12, 11, 16), calendar: calendar) == Self.at(2026, 12, 14, 16))
    }

    @Test("A step crossing a weekend and a holiday: Thursday 31 December 2026 15:00 + 1 day skips New Year's Day and the weekend")
    func acrossHolidayAndWeekend() {
        // 1 January 2027 is a Friday (a public holiday), then Saturday and Sunday: next working day Monday 4 January.
        #expect(hours.adding(halfDays: 2, to: Self.at(2026, 12, 31, 15), calendar: calendar) == Self.at(2027, 1, 4, 15))
    }

    @Test("A moment after closing counts from the next opening")
    func afterClosing() {
        #expect(hours.adding(halfDays: 1, to: Self.at(2026, 12, 9, 18), calendar: calendar) == Self.at(2026, 12, 10, 11, 30))
    }

    @Test("Office time between two moments: three working days are 24 hours, whatever the nights and the weekend")
    func workingTime() {
        let threeDays: Int64 = 3 * 8 * 3_600_000
        #expect(hours.workingMilliseconds(from: Self.at(2026, 12, 7, 10), to: Self.at(2026, 12, 10, 10), calendar: calendar) == threeDays)
        // Friday 10:00 to Wednesday 10:00 crosses a weekend: still three working days.
        #expect(hours.workingMilliseconds(from: Self.at(2026, 12, 11, 10), to: Self.at(2026, 12, 16, 10), calendar: calendar) == threeDays)
        #expect(hours.workingMilliseconds(from: Self.at(2026, 12, 9, 12), to: Self.at(2026, 12, 9, 12, 45), calendar: calendar) == 0)
    }

    @Test("Configured office hours: parsed, refused when out of order")
    func parsing() {
        let custom = OfficeHours(parsing: "08:00-12:00,13:30-17:30")
        #expect(custom?.description == "08:00-12:00,13:30-17:30")
        #expect(custom?.dayMilliseconds == Int64(8 * 3_600_000))
        #expect(OfficeHours(parsing: "13:00-17:00,07:30-11:30") == nil)
        #expect(OfficeHours(parsing: "7:30-11:30") == nil)
        #expect(OfficeHours(parsing: "") == nil)
        #expect(OfficeHours(parsing: "11:30-07:30") == nil)
    }

    @Test("Step outcomes: on a day before the due day early, by the due moment on time, after it late")
    func outcomes() {
        let due = Self.at(2026, 12, 9, 16, 30)
        #expect(StepOutcome.judge(finishedAt: Self.at(2026, 12, 8, 16), dueAt: due) == .early)
        #expect(StepOutcome.judge(finishedAt: Self.at(2026, 12, 9, 16, 30), dueAt: due) == .onTime)
        #expect(StepOutcome.judge(finishedAt: Self.at(2026, 12, 9, 16, 31), dueAt: due) == .late)
    }
}
