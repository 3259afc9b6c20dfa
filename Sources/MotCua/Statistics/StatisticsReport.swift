import Foundation

/// Everything the statistics page, its CSV tables and the API show for one scope and period.
struct StatisticsReport: Sendable, Equatable, Codable {
    struct Scope: Sendable, Equatable, Codable {
        /// Nil for the whole installation.
        var agencyCode: String?
        var name: String
    }

    struct Period: Sendable, Equatable, Codable {
        var kind: StatisticsPeriod.Kind
        var key: String
        var label: String
        var from: String
        var to: String

        init(_ period: StatisticsPeriod) {
            kind = period.kind
            key = period.key
            label = period.label
            from = period.first.description
            to = period.last.description
        }
    }

    /// The procedures in the catalog now, by online level (Decree 42/2022/NĐ-CP).
    struct Procedures: Sendable, Equatable, Codable {
        var total: Int
        var fullOnline: Int
        var partialOnline: Int
    }

    struct ProcedureRow: Sendable, Equatable, Codable {
        var agencyCode: String
        var code: String
        var name: String
        var received: Int
        var online: Int
        var resolved: Int
        var earlyOrOnTime: Int
        var previousReceived: Int
        var previousResolved: Int
    }

    var scope: Scope
    var period: Period
    var previousPeriod: Period
    /// Vietnam time the figures were counted (they are kept a minute).
    var countedAt: Int64
    var procedures: Procedures
    var current: DossierCounts
    var previous: DossierCounts
    var byProcedure: [ProcedureRow]
    var indicators: [Indicator]
}

/// One service quality indicator of Decision 766/QĐ-TTg (2022): a ratio with its formula, numerator and
/// denominator, or a plain statement that the portal does not record what it needs.
struct Indicator: Sendable, Equatable, Codable {
    enum Group: String, Sendable, Codable, CaseIterable {
        case transparency, progress, onlineService, onlinePayment, satisfaction, digitization

        var label: String {
            switch self {
            case .transparency: "Công khai, minh bạch"
            case .progress: "Tiến độ giải quyết"
            case .onlineService: "Dịch vụ công trực tuyến"
            case .onlinePayment: "Thanh toán trực tuyến"
            case .satisfaction: "Mức độ hài lòng"
            case .digitization: "Số hóa hồ sơ, kết quả"
            }
        }
    }

    static let notRecordedMessage = "Cổng chưa ghi nhận dữ liệu cho chỉ số này"

    var code: String
    var group: Group
    var groupLabel: String
    var name: String
    var formula: String
    /// Whether the portal records the data; when false numerator, denominator and percent are absent.
    var recorded: Bool
    var numerator: Int?
    var denominator: Int?
    /// Rounded to one decimal; absent when the denominator is zero (nothing to measure).
    var percent: Double?
    var note: String?

    static func ratio(_ code: String, _ group: Group, _ name: String, formula: String, _ numerator: Int, _ denominator: Int) -> Indicator {
        Indicator(
            code: code, group: group, groupLabel: group.label, name: name, formula: formula, recorded: true, numerator: numerator,
            denominator: denominator, percent: percent(numerator, denominator),
            note: denominator == 0 ? "Không có hồ sơ hoặc thủ tục nào để tính trong kỳ." : nil)
    }

    static func notRecorded(_ code: String, _ group: Group, _ name: String, formula: String, why: String) -> Indicator {
        Indicator(code: code, group: group, groupLabel: group.label, name: name, formula: formula, recorded: false, note: why)
    }

    static func percent(_ numerator: Int, _ denominator: Int) -> Double? {
        guard denominator > 0 else { return nil }
        return (Double(numerator) * 1000 / Double(denominator)).rounded() / 10
    }

    /// The indicators of one scope and period, from the counts and the catalog.
    static func all(counts: DossierCounts, procedures: StatisticsReport.Procedures) -> [Indicator] {
        [
            .notRecorded(
                "published-procedures", .transparency, "Thủ tục được công khai đầy đủ, đồng bộ với Cổng Dịch vụ công quốc gia",
                formula: "Số thủ tục công khai đúng quy định ÷ Tổng số thủ tục thuộc thẩm quyền",
                why: "Cổng chỉ biết các thủ tục đã nhập vào danh mục, không biết tổng số thủ tục thuộc thẩm quyền của cơ quan "
                    + "và chưa đồng bộ hồ sơ với Cổng Dịch vụ công quốc gia."),
            .ratio(
                "resolved-in-time", .progress, "Hồ sơ giải quyết trước hạn và đúng hạn",
                formula: "(Số hồ sơ giải quyết trước hạn + đúng hạn) ÷ Tổng số hồ sơ đã giải quyết trong kỳ",
                counts.earlyOrOnTime, counts.resolved),
            .ratio(
                "online-dossiers", .onlineService, "Hồ sơ tiếp nhận trực tuyến",
                formula: "Số hồ sơ tiếp nhận trực tuyến ÷ Tổng số hồ sơ tiếp nhận trong kỳ (trực tuyến, trực tiếp, bưu chính)",
                counts.online, counts.received),
            .ratio(
                "full-online-procedures", .onlineService, "Thủ tục cung cấp dịch vụ công trực tuyến toàn trình",
                formula: "Số thủ tục trực tuyến toàn trình ÷ Tổng số thủ tục trên Cổng (hiện nay)",
                procedures.fullOnline, procedures.total),
            .ratio(
                "paid-online", .onlinePayment, "Hồ sơ thanh toán trực tuyến",
                formula: "Số hồ sơ nộp phí, lệ phí qua cổng thanh toán trực tuyến ÷ Tổng số hồ sơ được yêu cầu nộp phí, lệ phí trong kỳ",
                counts.paidOnline, counts.charged),
            .ratio(
                "satisfaction", .satisfaction, "Người dân, doanh nghiệp hài lòng",
                formula: "Số đánh giá hài lòng (điểm trung bình các câu hỏi từ 4 trở lên) ÷ Tổng số đánh giá trong kỳ",
                counts.satisfied, counts.ratings),
            .notRecorded(
                "digitized", .digitization, "Hồ sơ được số hóa, kết quả điện tử",
                formula: "Số hồ sơ được số hóa thành phần hồ sơ, kết quả ÷ Tổng số hồ sơ tiếp nhận",
                why: "Cổng chưa ghi nhận việc số hóa thành phần hồ sơ và kết quả giải quyết."),
        ]
    }
}
