import Foundation

/// Working days of Vietnamese agencies: Saturdays, Sundays and public holidays are off (Labour Code 2019,
/// art. 112), a holiday falling on a weekend gives the next working day off, and the government's yearly
/// announcements (extra days off, Saturdays made working days) come in as `overrides`.
public struct WorkingCalendar: Sendable {
    public enum Override: String, Sendable, Codable {
        /// An extra day off (e.g. a bridge day announced for Tết).
        case dayOff = "off"
        /// A weekend day made a working day (the make-up day for a bridge day).
        case workingDay = "work"
    }

    public var overrides: [CivilDate: Override]

    public init(overrides: [CivilDate: Override] = [:]) {
        self.overrides = overrides
    }

    static let vietnam = TimeZone(identifier: "Asia/Ho_Chi_Minh")!

    /// The statutory public holidays of `year`, with the days off that replace holidays on weekends.
    /// Tết is the last day of the old lunar year and the first four of the new one; National Day is
    /// 2 September and the day before (the government sometimes picks the day after: an override).
    public static func publicHolidays(_ year: Int) -> Set<CivilDate> {
        let tet = LunarCalendar.newYear(year)
        var statutory: [CivilDate] = [CivilDate(year, 1, 1)]
        statutory += (-1...3).map { tet.adding(days: $0) }
        statutory.append(LunarCalendar.solarDate(lunarDay: 10, lunarMonth: 3, lunarYear: year))
        statutory += [CivilDate(year, 4, 30), CivilDate(year, 5, 1), CivilDate(year, 9, 1), CivilDate(year, 9, 2)]
        var days = Set(statutory)
        for holiday in statutory.sorted() where holiday.isWeekend {
            var substitute = holiday.adding(days: 1)
            while substitute.isWeekend || days.contains(substitute) { substitute = substitute.adding(days: 1) }
            days.insert(substitute)
        }
        return days
    }

    public func isWorkingDay(_ date: CivilDate) -> Bool {
        isWorkingDay(date, holidays: Self.publicHolidays(date.year))
    }

    func isWorkingDay(_ date: CivilDate, holidays: Set<CivilDate>) -> Bool {
        switch overrides[date] {
        case .dayOff: false
        case .workingDay: true
        case nil: !date.isWeekend && !holidays.contains(date)
        }
    }

    /// The deadline `workingDays` working days after `start`, at the same time of day: the day of
    /// receipt does not count, and days off are skipped (Monday 10:00 + 2 days → Wednesday 10:00).
    public func deadline(from start: Date, workingDays: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.vietnam
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: start)
        var day = CivilDate(parts.year!, parts.month!, parts.day!)
        var counted = 0
        var holidayCache: [Int: Set<CivilDate>] = [:]
        while counted < max(0, workingDays) {
            day = day.adding(days: 1)
            let holidays = holidayCache[day.year] ?? Self.publicHolidays(day.year)
            holidayCache[day.year] = holidays
            if isWorkingDay(day, holidays: holidays) { counted += 1 }
        }
        let due = DateComponents(year: day.year, month: day.month, day: day.day,
                                 hour: parts.hour, minute: parts.minute, second: parts.second)
        return calendar.date(from: due) ?? start
    }

    /// The Vietnam calendar day of an instant.
    public static func civilDate(of date: Date) -> CivilDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = vietnam
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return CivilDate(parts.year!, parts.month!, parts.day!)
    }
}
