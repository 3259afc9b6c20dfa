import Foundation

/// The Vietnamese lunar calendar, computed for UTC+7 with Hồ Ngọc Đức's published algorithm (new moons
/// and solar terms after Meeus). It differs from the Chinese calendar (UTC+8) in some years.
public enum LunarCalendar {
    static let timeZone = 7.0

    /// The Gregorian date of a lunar date (not a leap month).
    public static func solarDate(lunarDay: Int, lunarMonth: Int, lunarYear: Int) -> CivilDate {
        let a11: Int, b11: Int
        if lunarMonth < 11 {
            a11 = lunarMonth11(year: lunarYear - 1)
            b11 = lunarMonth11(year: lunarYear)
        } else {
            a11 = lunarMonth11(year: lunarYear)
            b11 = lunarMonth11(year: lunarYear + 1)
        }
        let k = Int(floor(0.5 + (Double(a11) - 2_415_021.076998695) / 29.530588853))
        var offset = lunarMonth - 11
        if offset < 0 { offset += 12 }
        if b11 - a11 > 365 {
            // A leap year: months from the leap month on are one further.
            let leapOffset = leapMonthOffset(a11)
            if offset >= leapOffset { offset += 1 }
        }
        return CivilDate(julianDay: newMoonDay(k + offset) + lunarDay - 1)
    }

    /// The first day of the lunar year `year` (Tết Nguyên đán).
    public static func newYear(_ year: Int) -> CivilDate { solarDate(lunarDay: 1, lunarMonth: 1, lunarYear: year) }

    private static func newMoonDay(_ k: Int) -> Int { Int(floor(newMoon(k) + 0.5 + timeZone / 24)) }

    private static func newMoon(_ k: Int) -> Double {
        let k = Double(k)
        let t = k / 1236.85, t2 = t * t, t3 = t2 * t, dr = Double.pi / 180
        var jd1 = 2_415_020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
        jd1 += 0.00033 * sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
        let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3
        let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3
        let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3
        var c1 = (0.1734 - 0.000393 * t) * sin(m * dr) + 0.0021 * sin(2 * dr * m)
        c1 -= 0.4068 * sin(mpr * dr) - 0.0161 * sin(dr * 2 * mpr)
        c1 -= 0.0004 * sin(dr * 3 * mpr)
        c1 += 0.0104 * sin(dr * 2 * f) - 0.0051 * sin(dr * (m + mpr))
        c1 -= 0.0074 * sin(dr * (m - mpr)) - 0.0004 * sin(dr * (2 * f + m))
        c1 -= 0.0004 * sin(dr * (2 * f - m)) + 0.0006 * sin(dr * (2 * f + mpr))
        c1 += 0.0010 * sin(dr * (2 * f - mpr)) + 0.0005 * sin(dr * (2 * mpr + m))
        let deltaT = t < -11
            ? 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
            : -0.000278 + 0.000265 * t + 0.000262 * t2
        return jd1 + c1 - deltaT
    }

    /// The sun's longitude at the start of the day, as one of 12 sectors of 30°.
    private static func sunSector(_ dayNumber: Int) -> Int {
        let jdn = Double(dayNumber) - 0.5 - timeZone / 24
        let t = (jdn - 2_451_545.0) / 36525, t2 = t * t, dr = Double.pi / 180
        let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
        let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
        var dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * sin(dr * m)
        dl += (0.019993 - 0.000101 * t) * sin(dr * 2 * m) + 0.000290 * sin(dr * 3 * m)
        var l = (l0 + dl) * dr
        l -= Double.pi * 2 * floor(l / (Double.pi * 2))
        return Int(floor(l / Double.pi * 6))
    }

    /// The day the 11th lunar month (the one holding the winter solstice) begins, before the end of `year`.
    private static func lunarMonth11(year: Int) -> Int {
        let offset = CivilDate(year, 12, 31).julianDay - 2_415_021
        let k = Int(floor(Double(offset) / 29.530588853))
        let newMoon = newMoonDay(k)
        return sunSector(newMoon) >= 9 ? newMoonDay(k - 1) : newMoon
    }

    /// Which month after the 11th is the leap month (the first without a major solar term).
    private static func leapMonthOffset(_ a11: Int) -> Int {
        let k = Int(floor((Double(a11) - 2_415_021.076998695) / 29.530588853 + 0.5))
        var i = 1
        var arc = sunSector(newMoonDay(k + i))
        var last: Int
        repeat {
            last = arc
            i += 1
            arc = sunSector(newMoonDay(k + i))
        } while arc != last && i < 14
        return i - 1
    }
}
