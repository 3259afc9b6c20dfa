import Foundation

/// Office hours of a working day (default 07:30–11:30 and 13:00–17:00, Vietnam time), for the time allowed
/// to each step of a process: one day of allowance is the office time of one working day, half a day half
/// of it, and a moment outside office hours counts from the next opening (SPEC.md, "Working days"). The
/// whole dossier's appointment date is not counted here: it keeps whole working days (`WorkingCalendar`).
/// Vietnam has kept UTC+7 without daylight saving since 1975, so local time is a fixed offset.
public struct OfficeHours: Sendable, Equatable, CustomStringConvertible {
    /// A span of one day, in minutes after midnight.
    public struct Period: Sendable, Equatable {
        public var start: Int
        public var end: Int
    }

    public var periods: [Period]

    public static let standard = OfficeHours(periods: [Period(start: 7 * 60 + 30, end: 11 * 60 + 30), Period(start: 13 * 60, end: 17 * 60)])

    static let utcOffset: Int64 = 7 * 3_600_000
    static let dayLength: Int64 = 86_400_000
    /// The Julian day number of 1970-01-01, to name a local day as a `CivilDate`.
    static let epochJulianDay = 2_440_588

    public init(periods: [Period]) {
        self.periods = periods
    }

    /// "07:30-11:30,13:00-17:00": ordered, non-overlapping spans within one day.
    public init?(parsing text: String) {
        var periods: [Period] = []
        for part in text.split(separator: ",") {
            let ends = part.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            guard ends.count == 2, let start = Self.minutes(ends[0]), let end = Self.minutes(ends[1]), start < end,
                  start >= (periods.last?.end ?? 0)
            else { return nil }
            periods.append(Period(start: start, end: end))
        }
        guard !periods.isEmpty else { return nil }
        self.periods = periods
    }

    private static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]), let minute = Int(parts[1]),
              (0...24).contains(hour), (0..<60).contains(minute), hour * 60 + minute <= 24 * 60
        else { return nil }
        return hour * 60 + minute
    }

    public var description: String {
        periods.map { String(format: "%02d:%02d-%02d:%02d", $0.start / 60, $0.start % 60, $0.end / 60, $0.end % 60) }
            .joined(separator: ",")
    }

    /// Office time of one working day, in milliseconds.
    public var dayMilliseconds: Int64 { periods.reduce(0) { $0 + Int64($1.end - $1.start) * 60_000 } }

    /// The moment `halfDays` half working days of office time after `start`.
    public func adding(halfDays: Int, to start: Int64, calendar: WorkingCalendar) -> Int64 {
        adding(milliseconds: Int64(halfDays) * dayMilliseconds / 2, to: start, calendar: calendar)
    }

    /// The moment `amount` of office time after `start` (counting from the next opening when `start` is
    /// outside office hours); `start` itself when `amount` is zero.
    public func adding(milliseconds amount: Int64, to start: Int64, calendar: WorkingCalendar) -> Int64 {
        guard amount > 0 else { return start }
        var remaining = amount
        var days = WorkingDays(calendar: calendar)
        var (day, timeOfDay) = Self.split(start)
        while true {
            if days.isWorkingDay(day) {
                for period in periods {
                    let periodEnd = Int64(period.end) * 60_000
                    guard timeOfDay < periodEnd else { continue }
                    let from = max(timeOfDay, Int64(period.start) * 60_000)
                    if remaining <= periodEnd - from { return Self.instant(day: day, timeOfDay: from + remaining) }
                    remaining -= periodEnd - from
                    timeOfDay = periodEnd
                }
            }
            day += 1
            timeOfDay = 0
        }
    }

    /// Office time between two moments (zero when `end` is not after `start`).
    public func workingMilliseconds(from start: Int64, to end: Int64, calendar: WorkingCalendar) -> Int64 {
        guard end > start else { return 0 }
        var days = WorkingDays(calendar: calendar)
        let (firstDay, _) = Self.split(start)
        let (lastDay, _) = Self.split(end)
        var total: Int64 = 0
        for day in firstDay...lastDay where days.isWorkingDay(day) {
            for period in periods {
                let from = max(start, Self.instant(day: day, timeOfDay: Int64(period.start) * 60_000))
                let to = min(end, Self.instant(day: day, timeOfDay: Int64(period.end) * 60_000))
                if to > from { total += to - from }
            }
        }
        return total
    }

    /// The local day (days since 1970-01-01, Vietnam time) of a moment, and the time of day in milliseconds.
    static func split(_ instant: Int64) -> (day: Int64, timeOfDay: Int64) {
        let local = instant + utcOffset
        let day = local >= 0 ? local / dayLength : (local - dayLength + 1) / dayLength
        return (day, local - day * dayLength)
    }

    static func instant(day: Int64, timeOfDay: Int64) -> Int64 { day * dayLength + timeOfDay - utcOffset }

    static func civilDate(day: Int64) -> CivilDate { CivilDate(julianDay: epochJulianDay + Int(day)) }

    /// The Vietnam calendar day of a moment.
    static func civilDate(of instant: Int64) -> CivilDate { civilDate(day: split(instant).day) }

    /// The moment `timeOfDay` milliseconds after the start of `date`, Vietnam time.
    static func instant(on date: CivilDate, timeOfDay: Int64 = 0) -> Int64 {
        instant(day: Int64(date.julianDay - epochJulianDay), timeOfDay: timeOfDay)
    }
}

/// Working days by local day number, with each year's public holidays computed once.
struct WorkingDays {
    let calendar: WorkingCalendar
    private var holidays: [Int: Set<CivilDate>] = [:]

    init(calendar: WorkingCalendar) {
        self.calendar = calendar
    }

    mutating func isWorkingDay(_ day: Int64) -> Bool {
        let date = OfficeHours.civilDate(day: day)
        if holidays[date.year] == nil { holidays[date.year] = WorkingCalendar.publicHolidays(date.year) }
        return calendar.isWorkingDay(date, holidays: holidays[date.year]!)
    }
}
