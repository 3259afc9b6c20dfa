import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// "Thống kê": the public statistics of the whole installation and of each agency, as a page, as CSV tables
/// and as JSON. Public on purpose: agencies publish these figures (Decision 766/QĐ-TTg); nothing in them
/// names an applicant or a dossier.
struct StatisticsController: Sendable {
    let service: StatisticsService
    let renderer: HTMLRenderer
    /// Finished pages for visitors who are not signed in, kept while their report is (the report's count time is
    /// the version): rendering the page costs far more than counting from the day counters.
    let pages: CatalogResponseCache

    static let pageNames: StatisticsService.ParameterNames = ("nam", "quy", "thang", "tu-ngay", "den-ngay")
    static let apiNames: StatisticsService.ParameterNames = ("year", "quarter", "month", "from", "to")

    func addRoutes(to router: Router<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        router.get("/thong-ke", use: wholePage)
        router.get("/thong-ke/{agency}", use: agencyPage)
        api.get("statistics", use: wholeAPI)
        api.get("statistics/{agency}", use: agencyAPI)
    }

    private static func input(_ query: QueryValues, _ names: StatisticsService.ParameterNames) -> StatisticsPeriodInput {
        let value = { (name: String) in query[name].map { String($0.trimmingCharacters(in: .whitespaces).prefix(32)) } }
        return StatisticsPeriodInput(
            year: value(names.year), quarter: value(names.quarter), month: value(names.month), from: value(names.from), to: value(names.to))
    }

    private static func agencyCode(_ context: AppRequestContext) -> String {
        context.parameters.get("agency")?.removingPercentEncoding ?? ""
    }

    // MARK: Pages and CSV

    @Sendable func wholePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(request, context, agencyCode: nil)
    }

    @Sendable func agencyPage(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await page(request, context, agencyCode: Self.agencyCode(context))
    }

    private func page(_ request: Request, _ context: AppRequestContext, agencyCode: String?) async throws -> Response {
        let query = request.queryValues
        let input = Self.input(query, Self.pageNames)
        let format = query["dinh-dang"]
        let outcome = try await service.report(agencyCode: agencyCode, input: input, names: Self.pageNames)
        let snapshot = try await service.catalog.snapshot()
        var page = StatisticsPage(
            chrome: PageChrome(title: "Thống kê", section: .statistics, context: context), input: input,
            agencies: snapshot.agencies, agencyCode: agencyCode, today: OfficeHours.civilDate(of: service.now()))
        var status = HTTPResponse.Status.ok
        switch outcome {
        case .unknownAgency:
            throw PortalError.notFound("Không có cơ quan này trên Cổng. Hãy chọn cơ quan trong danh sách thống kê.")
        case .badPeriod(let problem):
            if format != nil { throw PortalError(status: Self.status(problem), message: problem.message) }
            page.problem = problem.message
            status = Self.status(problem)
        case .report(let report):
            if let format {
                guard format == "csv" else { throw PortalError.badRequest("Định dạng tải về là csv.") }
                return try Self.csv(report, table: query["bang"] ?? "")
            }
            if context.identity == nil {
                let anonymous = page
                return try await pages.response(for: request, version: report.countedAt) {
                    var page = anonymous
                    page.show(report)
                    return try renderer.render(page).cacheable
                }
            }
            page.show(report)
        }
        return try renderer.render(page, status: status).response(from: request, context: context)
    }

    static func status(_ problem: StatisticsPeriodInput.Problem) -> HTTPResponse.Status {
        switch problem.kind {
        case .malformed: .badRequest
        case .future, .tooLong: .unprocessableContent
        }
    }

    enum Table: String, CaseIterable {
        case summary = "tong-hop"
        case procedures = "thu-tuc"
        case indicators = "chi-so"
    }

    static func csv(_ report: StatisticsReport, table name: String) throws -> Response {
        guard let table = Table(rawValue: name) else {
            throw PortalError.badRequest("Bảng tải về là tong-hop, thu-tuc hoặc chi-so.")
        }
        let header: [String], rows: [[String]]
        switch table {
        case .summary:
            header = ["Chỉ tiêu", report.period.label.capitalizedFirst, report.previousPeriod.label.capitalizedFirst]
            rows = StatisticsFigures.rows(report).map { [$0.label, String($0.current), String($0.previous)] }
        case .procedures:
            header = ["Mã cơ quan", "Mã thủ tục", "Tên thủ tục", "Tiếp nhận", "Tiếp nhận trực tuyến", "Đã giải quyết",
                      "Giải quyết trước hạn và đúng hạn", "Tiếp nhận kỳ trước", "Đã giải quyết kỳ trước"]
            rows = report.byProcedure.map {
                [$0.agencyCode, $0.code, $0.name, String($0.received), String($0.online), String($0.resolved), String($0.earlyOrOnTime),
                 String($0.previousReceived), String($0.previousResolved)]
            }
        case .indicators:
            header = ["Nhóm chỉ số", "Chỉ số", "Công thức", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Ghi chú"]
            rows = report.indicators.map {
                [$0.groupLabel, $0.name, $0.formula, $0.numerator.map(String.init) ?? "", $0.denominator.map(String.init) ?? "",
                 $0.percent.map { String(format: "%.1f", $0) } ?? "",
                 $0.recorded ? ($0.note ?? "") : Indicator.notRecordedMessage + ". " + ($0.note ?? "")]
            }
        }
        let scope = report.scope.agencyCode ?? "toan-bo"
        return TrackingBookController.download(
            CSVWriter.data(header: header, rows: rows), type: "text/csv; charset=utf-8",
            name: "thong-ke-\(table.rawValue)-\(scope)-\(report.period.key).csv")
    }

    // MARK: API

    @Sendable func wholeAPI(_ request: Request, context: AppRequestContext) async throws -> StatisticsReport {
        try await api(request, agencyCode: nil)
    }

    @Sendable func agencyAPI(_ request: Request, context: AppRequestContext) async throws -> StatisticsReport {
        try await api(request, agencyCode: Self.agencyCode(context))
    }

    private func api(_ request: Request, agencyCode: String?) async throws -> StatisticsReport {
        switch try await service.report(agencyCode: agencyCode, input: Self.input(request.queryValues, Self.apiNames), names: Self.apiNames) {
        case .report(let report): return report
        case .unknownAgency: throw PortalError.notFound("Không có cơ quan có mã này trên Cổng.")
        case .badPeriod(let problem):
            throw PortalError(status: Self.status(problem), message: problem.message,
                              fieldErrors: [.init(name: problem.parameter, reason: problem.message)])
        }
    }
}

extension StatisticsReport: ResponseEncodable {}

extension String {
    /// "năm 2025" → "Năm 2025".
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
