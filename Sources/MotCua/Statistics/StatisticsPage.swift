import Foundation

/// The rows of the summary table, in one place for the page, its chart and the CSV table.
enum StatisticsFigures {
    struct Row: Sendable, Encodable {
        var label: String
        var current: Int
        var previous: Int
        /// Drawn in the chart (the totals and the sub-counts of "in progress" are in the table only).
        var charted: Bool
    }

    static func rows(_ report: StatisticsReport) -> [Row] {
        let c = report.current, p = report.previous
        return [
            Row(label: "Hồ sơ tiếp nhận", current: c.received, previous: p.received, charted: false),
            Row(label: "Tiếp nhận trực tuyến", current: c.online, previous: p.online, charted: true),
            Row(label: "Tiếp nhận trực tiếp", current: c.desk, previous: p.desk, charted: true),
            Row(label: "Tiếp nhận qua bưu chính", current: c.post, previous: p.post, charted: true),
            Row(label: "Hồ sơ đã giải quyết", current: c.resolved, previous: p.resolved, charted: false),
            Row(label: "Giải quyết trước hạn", current: c.early, previous: p.early, charted: true),
            Row(label: "Giải quyết đúng hạn", current: c.onTime, previous: p.onTime, charted: true),
            Row(label: "Giải quyết trễ hạn", current: c.late, previous: p.late, charted: true),
            Row(label: "Chờ tiếp nhận", current: c.waiting, previous: p.waiting, charted: false),
            Row(label: "Đang giải quyết", current: c.inProgress, previous: p.inProgress, charted: true),
            Row(label: "Trong đó quá hạn", current: c.overdue, previous: p.overdue, charted: true),
            Row(label: "Không tiếp nhận (từ chối)", current: c.refused, previous: p.refused, charted: true),
            Row(label: "Rút hồ sơ", current: c.withdrawn, previous: p.withdrawn, charted: true),
            Row(label: "Dừng xử lý", current: c.stopped, previous: p.stopped, charted: false),
            Row(label: "Lượt đánh giá mức độ hài lòng", current: c.ratings, previous: p.ratings, charted: false),
            Row(label: "Trong đó hài lòng", current: c.satisfied, previous: p.satisfied, charted: false),
            Row(label: "Hồ sơ được yêu cầu nộp phí, lệ phí", current: c.charged, previous: p.charged, charted: false),
            Row(label: "Trong đó nộp qua cổng thanh toán trực tuyến", current: c.paidOnline, previous: p.paidOnline, charted: false),
        ]
    }

    /// 1039 → "1.039".
    static func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(character)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// 97.8 → "97,8%".
    static func percent(_ value: Double?) -> String {
        guard let value else { return "—" }
        return VietnameseFormat.oneDecimal(value) + "%"
    }
}

/// A horizontal bar chart drawn on the server: each category has a bar for the period and one for the period
/// before. The SVG is an image with a title and a description; the same figures are in the table beside it.
struct BarChart: Sendable, Encodable {
    struct Bar: Sendable, Encodable {
        var y: Int
        var width: Int
        var valueX: Int
        var valueY: Int
        var value: String
    }

    struct Category: Sendable, Encodable {
        var label: String
        var labelY: Int
        var current: Bar
        var previous: Bar
    }

    var width = 640
    var height: Int
    var labelWidth = 190
    var barHeight = 13
    var title: String
    var description: String
    var currentLegend: String
    var previousLegend: String
    var legendY: Int
    var currentLegendX = 190 + 16
    var previousLegendX = 190 + 190
    var previousLegendTextX = 190 + 190 + 16
    var categories: [Category]

    init(title: String, currentLegend: String, previousLegend: String, rows: [StatisticsFigures.Row]) {
        let maxValue = max(1, rows.map { max($0.current, $0.previous) }.max() ?? 1)
        let plotWidth = 640 - 190 - 70
        let rowHeight = 36, top = 34
        self.title = title
        self.currentLegend = currentLegend
        self.previousLegend = previousLegend
        self.legendY = 16
        self.height = top + rows.count * rowHeight + 4
        self.description = rows.map { "\($0.label): \(StatisticsFigures.number($0.current)) (\(previousLegend): \(StatisticsFigures.number($0.previous)))" }
            .joined(separator: "; ")
        let barHeight = self.barHeight, labelWidth = self.labelWidth
        self.categories = rows.enumerated().map { index, row in
            let y = top + index * rowHeight
            func bar(_ value: Int, _ y: Int) -> Bar {
                let width = value == 0 ? 0 : max(2, value * plotWidth / maxValue)
                return Bar(y: y, width: width, valueX: labelWidth + width + 6, valueY: y + barHeight - 2, value: StatisticsFigures.number(value))
            }
            return Category(label: row.label, labelY: y + barHeight + 4, current: bar(row.current, y), previous: bar(row.previous, y + barHeight + 2))
        }
    }
}

struct StatisticsPage: PageModel {
    static let template = "statistics/index"

    struct AgencyLink: Sendable, Encodable {
        var name: String
        var url: String
        var current: Bool
    }

    struct FigureRow: Sendable, Encodable {
        var label: String
        var current: String
        var previous: String
        var change: String
    }

    struct ProcedureRow: Sendable, Encodable {
        var code: String
        var name: String
        var url: String?
        var received: String
        var online: String
        var resolved: String
        var earlyOrOnTime: String
        var previousReceived: String
        var previousResolved: String
    }

    struct IndicatorRow: Sendable, Encodable {
        var group: String
        var name: String
        var formula: String
        var recorded: Bool
        var numerator: String
        var denominator: String
        var value: String
        var note: String?
        var notRecordedMessage: String
    }

    struct ReportView: Sendable, Encodable {
        var periodLabel: String
        var previousLabel: String
        var countedAt: String
        var procedureTotal: String
        var fullOnline: String
        var partialOnline: String
        var fullOnlineShare: String
        var partialOnlineShare: String
        var onlineSentence: String
        var onlineShare: String
        var figures: [FigureRow]
        var chart: BarChart
        var procedures: [ProcedureRow]
        var hasProcedures: Bool
        var indicators: [IndicatorRow]
        var summaryCSV: String
        var proceduresCSV: String
        var indicatorsCSV: String
    }

    var chrome: PageChrome
    var heading: String
    var path: String
    var agencies: [AgencyLink]
    var isWhole: Bool
    var year: String
    var quarters: [SelectOption]
    var months: [SelectOption]
    var from: String
    var to: String
    var maxDay: String
    var problem: String?
    var report: ReportView?

    init(chrome: PageChrome, input: StatisticsPeriodInput, agencies: [Agency], agencyCode: String?, today: CivilDate) {
        self.chrome = chrome
        let agency = agencyCode.flatMap { code in agencies.first { $0.code == code } }
        heading = agency.map { "Thống kê: \($0.name)" } ?? "Thống kê tình hình giải quyết hồ sơ"
        path = agency.map { "/thong-ke/\($0.code)" } ?? "/thong-ke"
        isWhole = agency == nil
        self.agencies = agencies.map { AgencyLink(name: $0.name, url: "/thong-ke/\($0.code)", current: $0.code == agency?.code) }
        year = input.year ?? (input.from == nil ? String(today.year) : "")
        quarters = (1...4).map { SelectOption(value: String($0), label: "Quý \($0)", selected: input.quarter == String($0)) }
        months = (1...12).map { SelectOption(value: String($0), label: "Tháng \($0)", selected: input.month == String($0)) }
        from = input.from ?? ""
        to = input.to ?? ""
        maxDay = today.description
        if let agency { self.chrome.title = "Thống kê – \(agency.name)" }
    }

    mutating func show(_ report: StatisticsReport) {
        let n = StatisticsFigures.number, rows = StatisticsFigures.rows(report)
        let procedures = report.procedures
        let path = self.path
        let csv = { (table: StatisticsController.Table) in
            path + SiteURL.encodedQuery(Self.periodQuery(report.period) + [
                URLQueryItem(name: "dinh-dang", value: "csv"), URLQueryItem(name: "bang", value: table.rawValue),
            ])
        }
        let current = report.period.label, previous = report.previousPeriod.label
        self.report = ReportView(
            periodLabel: current, previousLabel: previous,
            countedAt: VietnameseFormat.dateTime(report.countedAt),
            procedureTotal: n(procedures.total), fullOnline: n(procedures.fullOnline), partialOnline: n(procedures.partialOnline),
            fullOnlineShare: StatisticsFigures.percent(Indicator.percent(procedures.fullOnline, procedures.total)),
            partialOnlineShare: StatisticsFigures.percent(Indicator.percent(procedures.partialOnline, procedures.total)),
            onlineSentence: "\(n(report.current.online)) hồ sơ trực tuyến \(current), \(previous): \(n(report.previous.online))",
            onlineShare: StatisticsFigures.percent(Indicator.percent(report.current.online, report.current.received)),
            figures: rows.map { row in
                let change = row.current - row.previous
                return FigureRow(label: row.label, current: n(row.current), previous: n(row.previous),
                                 change: change == 0 ? "0" : (change > 0 ? "+" : "−") + n(abs(change)))
            },
            chart: BarChart(
                title: "Hồ sơ \(current) so với \(previous)", currentLegend: current.capitalizedFirst,
                previousLegend: previous.capitalizedFirst, rows: rows.filter(\.charted)),
            procedures: report.byProcedure.map { row in
                ProcedureRow(
                    code: row.code, name: row.name,
                    url: row.code.isEmpty ? nil : SiteURL.procedure(agencyCode: row.agencyCode, code: row.code),
                    received: n(row.received), online: n(row.online), resolved: n(row.resolved), earlyOrOnTime: n(row.earlyOrOnTime),
                    previousReceived: n(row.previousReceived), previousResolved: n(row.previousResolved))
            },
            hasProcedures: !report.byProcedure.isEmpty,
            indicators: report.indicators.map { indicator in
                IndicatorRow(
                    group: indicator.groupLabel, name: indicator.name, formula: indicator.formula, recorded: indicator.recorded,
                    numerator: indicator.numerator.map(n) ?? "—", denominator: indicator.denominator.map(n) ?? "—",
                    value: StatisticsFigures.percent(indicator.percent), note: indicator.note, notRecordedMessage: Indicator.notRecordedMessage)
            },
            summaryCSV: csv(.summary), proceduresCSV: csv(.procedures), indicatorsCSV: csv(.indicators))
    }

    static func periodQuery(_ period: StatisticsReport.Period) -> [URLQueryItem] {
        let first = CivilDate(iso: period.from)
        switch period.kind {
        case .year: return [URLQueryItem(name: "nam", value: String(first?.year ?? 0))]
        case .quarter:
            return [URLQueryItem(name: "nam", value: String(first?.year ?? 0)),
                    URLQueryItem(name: "quy", value: String(((first?.month ?? 1) - 1) / 3 + 1))]
        case .month:
            return [URLQueryItem(name: "nam", value: String(first?.year ?? 0)), URLQueryItem(name: "thang", value: String(first?.month ?? 1))]
        case .range:
            return [URLQueryItem(name: "tu-ngay", value: period.from), URLQueryItem(name: "den-ngay", value: period.to)]
        }
    }
}
