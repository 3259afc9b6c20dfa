import Foundation

/// A day of the Gregorian calendar, without time or zone.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(_ year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// "yyyy-MM-dd"
    public init?(iso: String) {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]), (1900...2199).contains(parts[0]) else {
            return nil
        }
        self.init(parts[0], parts[1], parts[2])
        guard Self(julianDay: julianDay) == self else { return nil }  // 31 Feb and the like
    }

    /// The Julian day number (Gregorian calendar).
    public var julianDay: Int {
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    public init(julianDay jd: Int) {
        let a = jd + 32044
        let b = (4 * a + 3) / 146_097
        let c = a - (b * 146_097) / 4
        let d = (4 * c + 3) / 1461
        let e = c - (1461 * d) / 4
        let m = (5 * e + 2) / 153
        self.init(b * 100 + d - 4800 + m / 10, m + 3 - 12 * (m / 10), e - (153 * m + 2) / 5 + 1)
    }

    public func adding(days: Int) -> CivilDate { CivilDate(julianDay: julianDay + days) }

    /// 0 = Monday … 6 = Sunday.
    public var weekday: Int { julianDay % 7 }
    public var isWeekend: Bool { weekday >= 5 }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }

    public static func < (l: CivilDate, r: CivilDate) -> Bool { l.julianDay < r.julianDay }
}
