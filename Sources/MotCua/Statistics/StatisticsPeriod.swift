import Foundation

/// The stretch of time a statistics answer covers: a year, a quarter, a month, or (API and page alike) a
/// range of days of at most five years. Days are Vietnam days; the period runs from the start of its first
/// day to the start of the day after its last. Every period knows the one before it of the same length,
/// shown beside it ("năm 2022: 1.039, năm 2021: 707").
struct StatisticsPeriod: Sendable, Hashable {
    enum Kind: String, Sendable, Codable { case year, quarter, month, range }

    var kind: Kind
    var first: CivilDate
    /// The last day, included.
    var last: CivilDate

    var start: Int64 { OfficeHours.instant(on: first) }
    var end: Int64 { OfficeHours.instant(on: last.adding(days: 1)) }

    static func year(_ year: Int) -> StatisticsPeriod {
        StatisticsPeriod(kind: .year, first: CivilDate(year, 1, 1), last: CivilDate(year, 12, 31))
    }

    static func quarter(_ year: Int, _ quarter: Int) -> StatisticsPeriod {
        let firstMonth = (quarter - 1) * 3 + 1
        return StatisticsPeriod(kind: .quarter, first: CivilDate(year, firstMonth, 1), last: monthStart(year, firstMonth + 3).adding(days: -1))
    }

    static func month(_ year: Int, _ month: Int) -> StatisticsPeriod {
        StatisticsPeriod(kind: .month, first: CivilDate(year, month, 1), last: monthStart(year, month + 1).adding(days: -1))
    }

    private static func monthStart(_ year: Int, _ month: Int) -> CivilDate {
        month > 12 ? CivilDate(year + 1, month - 12, 1) : CivilDate(year, month, 1)
    }

    var quarterNumber: Int { (first.month - 1) / 3 + 1 }

    /// The period of the same kind just before; for a range, as many days just before.
    var previous: StatisticsPeriod {
        switch kind {
        case .year: .year(first.year - 1)
        case .quarter: quarterNumber == 1 ? .quarter(first.year - 1, 4) : .quarter(first.year, quarterNumber - 1)
        case .month: first.month == 1 ? .month(first.year - 1, 12) : .month(first.year, first.month - 1)
        case .range:
            StatisticsPeriod(
                kind: .range, first: first.adding(days: -(last.julianDay - first.julianDay + 1)), last: first.adding(days: -1))
        }
    }

    /// "năm 2025", "quý 2 năm 2025", "tháng 3/2025", "từ 01/01/2024 đến 31/12/2025".
    var label: String {
        switch kind {
        case .year: "năm \(first.year)"
        case .quarter: "quý \(quarterNumber) năm \(first.year)"
        case .month: "tháng \(first.month)/\(first.year)"
        case .range: "từ \(Self.format(first)) đến \(Self.format(last))"
        }
    }

    static func format(_ date: CivilDate) -> String {
        String(format: "%02d/%02d/%04d", date.day, date.month, date.year)
    }

    /// A stable text naming the period (cache keys, file names): "2025", "2025-Q2", "2025-03", "2024-01-01_2025-12-31".
    var key: String {
        switch kind {
        case .year: String(first.year)
        case .quarter: "\(first.year)-Q\(quarterNumber)"
        case .month: String(format: "%04d-%02d", first.year, first.month)
        case .range: "\(first.description)_\(last.description)"
        }
    }
}

/// What the asker typed, before it is checked; the page and the API name the parameters differently
/// (nam/quy/thang/tu-ngay/den-ngay, year/quarter/month/from/to) and share this one rule.
struct StatisticsPeriodInput: Sendable {
    var year: String?
    var quarter: String?
    var month: String?
    var from: String?
    var to: String?

    /// Why a period is refused, with the parameter at fault and a Vietnamese message.
    struct Problem: Error, Sendable, Equatable {
        enum Kind: Sendable { case malformed, future, tooLong }
        var kind: Kind
        var parameter: String
        var message: String
    }

    static let firstYear = 2000
    static let maxYears = 5

    /// The period asked for, or why not; `today` is the Vietnam day of the request. Nothing given: this year.
    func period(today: CivilDate, names: (year: String, quarter: String, month: String, from: String, to: String)) -> Result<StatisticsPeriod, Problem> {
        func bad(_ name: String, _ message: String) -> Result<StatisticsPeriod, Problem> {
            .failure(Problem(kind: .malformed, parameter: name, message: message))
        }
        let from = from?.nonEmpty, to = to?.nonEmpty
        if from != nil || to != nil {
            guard year?.nonEmpty == nil, quarter?.nonEmpty == nil, month?.nonEmpty == nil else {
                return bad(names.from, "Chọn hoặc một năm (quý, tháng), hoặc một khoảng ngày, không chọn cả hai.")
            }
            guard let fromText = from, let first = CivilDate(iso: fromText) else {
                return bad(names.from, "Ngày bắt đầu phải có dạng năm-tháng-ngày (YYYY-MM-DD).")
            }
            guard let toText = to, let last = CivilDate(iso: toText) else {
                return bad(names.to, "Ngày kết thúc phải có dạng năm-tháng-ngày (YYYY-MM-DD).")
            }
            guard first <= last else { return bad(names.to, "Ngày kết thúc phải từ ngày bắt đầu trở đi.") }
            guard first.year >= Self.firstYear else { return bad(names.from, "Cổng chỉ có số liệu từ năm \(Self.firstYear).") }
            guard first <= today else {
                return .failure(Problem(kind: .future, parameter: names.from, message: "Khoảng thời gian chưa bắt đầu: chưa có số liệu."))
            }
            // Five years from the first day: 2020-01-01 to 2024-12-31 is the longest range starting 2020-01-01.
            let limit = CivilDate(first.year + Self.maxYears, first.month, 1).adding(days: first.day - 1)
            guard last < limit else {
                return .failure(Problem(kind: .tooLong, parameter: names.to, message: "Khoảng thời gian dài nhất là \(Self.maxYears) năm."))
            }
            return .success(StatisticsPeriod(kind: .range, first: first, last: last))
        }
        let yearText = year?.nonEmpty ?? String(today.year)
        guard yearText.count == 4, yearText.allSatisfy(\.isASCIIDigit), let year = Int(yearText) else {
            return bad(names.year, "Năm phải là số có bốn chữ số, ví dụ 2025.")
        }
        guard year >= Self.firstYear else { return bad(names.year, "Cổng chỉ có số liệu từ năm \(Self.firstYear).") }
        let period: StatisticsPeriod
        switch (quarter?.nonEmpty, month?.nonEmpty) {
        case (nil, nil):
            period = .year(year)
        case (let text?, nil):
            guard let number = Int(text), (1...4).contains(number), text.count == 1 else { return bad(names.quarter, "Quý phải là 1, 2, 3 hoặc 4.") }
            period = .quarter(year, number)
        case (nil, let text?):
            guard let number = Int(text), (1...12).contains(number), text.count <= 2, text.allSatisfy(\.isASCIIDigit) else {
                return bad(names.month, "Tháng phải từ 1 đến 12.")
            }
            period = .month(year, number)
        case (_?, _?):
            return bad(names.month, "Chọn hoặc một quý, hoặc một tháng, không chọn cả hai.")
        }
        guard period.first <= today else {
            return .failure(Problem(kind: .future, parameter: names.year, message: "Kỳ \(period.label) chưa bắt đầu: chưa có số liệu."))
        }
        return .success(period)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
