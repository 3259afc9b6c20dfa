import Foundation
import Hummingbird

/// `/mot-cua/bao-cao`: the staff reports of the signed-in person's agency for a chosen period, on the page
/// (printable) and as CSV (UTF-8 with BOM) or XLSX downloads of the same table.
struct StaffReportController: Sendable {
    let reports: StaffReports
    let renderer: HTMLRenderer
    /// The clock, so tests can fix "now".
    var now: @Sendable () -> Int64 = { Clock.nowMilliseconds() }

    /// The page shows this many rows of the overdue list; the downloads carry them all.
    static let pageRows = 500

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("mot-cua", context: AuthenticatedContext.self).get("bao-cao", use: report)
    }

    @Sendable func report(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let user = context.user
        let readable = StaffReportKind.readable(by: user.role)
        guard let agency = user.agencyCode, !readable.isEmpty else {
            throw PortalError(status: .forbidden, message: "Báo cáo dành cho lãnh đạo, bộ phận tiếp nhận và trả kết quả và quản trị cơ quan.")
        }
        let query = request.queryValues
        let asked = query["loai"]?.nonEmpty
        guard let kind = asked.map({ StaffReportKind(rawValue: $0) }) ?? readable.first else {
            throw PortalError.badRequest("Loại báo cáo là can-bo (theo cán bộ), thu-tuc (theo thủ tục) hoặc qua-han (hồ sơ quá hạn).")
        }
        guard kind.isReadable(by: user.role) else {
            throw PortalError(status: .forbidden, message: "Tài khoản của bạn không được xem \(kind.title.lowercased()).")
        }
        let now = now()
        let range = DateRangeQuery(query, today: OfficeHours.civilDate(of: now), subject: "Báo cáo")
        let format = query["dinh-dang"]?.nonEmpty
        if let format, !["csv", "xlsx"].contains(format) { throw PortalError.badRequest("Định dạng tải về là csv hoặc xlsx.") }
        var result: StaffReports.Result?
        if let period = range.instants {
            result = try await reports.report(kind, agencyCode: agency, from: period.start, before: period.end, now: now)
        }
        if let format {
            guard let table = result?.table else { throw PortalError.badRequest(range.problem ?? "") }
            let name = "\(kind.fileStem)-\(range.from?.description ?? "")-\(range.to?.description ?? "")"
            return format == "csv"
                ? TrackingBookController.download(CSVWriter.data(header: table.header, rows: table.textRows),
                                                  type: "text/csv; charset=utf-8", name: name + ".csv")
                : TrackingBookController.download(XLSXWriter(sheetName: kind.sheetName, header: table.header, rows: table.rows).data(),
                                                  type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name: name + ".xlsx")
        }
        let keep = range.parameters.merging(["loai": kind.rawValue]) { $1 }
        let link = { (format: String) in
            "/mot-cua/bao-cao" + SiteURL.encodedQuery(keep.merging(["dinh-dang": format]) { $1 }
                .compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }.sorted { $0.name < $1.name })
        }
        let rows = result?.table.textRows ?? []
        let shown = rows.prefix(Self.pageRows)
        var notes: [String] = []
        if rows.count > shown.count { notes.append("Trang hiển thị \(shown.count) dòng đầu trong \(rows.count) dòng; tải CSV hoặc Excel để xem đủ.") }
        if result?.truncated == true {
            notes.append("Danh sách dừng ở \(StaffReportStore.overdueLimit) hồ sơ; vui lòng chọn kỳ ngắn hơn để xem đủ.")
        }
        let page = StaffReportPage(
            chrome: PageChrome(title: kind.title, section: .backOffice, context: context),
            kinds: readable.map { SelectOption(value: $0.rawValue, label: $0.title, selected: $0 == kind) },
            title: kind.title, caption: kind.caption, from: range.from?.description ?? "", to: range.to?.description ?? "",
            header: result?.table.header ?? [], rows: shown.map { StaffReportPage.Row(cells: $0) }, hasRows: !shown.isEmpty,
            notes: notes, csvURL: link("csv"), xlsxURL: link("xlsx"), problem: range.problem)
        return try renderer.render(page, status: range.problem == nil ? .ok : .badRequest).response(from: request, context: context)
    }
}

struct StaffReportPage: PageModel {
    struct Row: Sendable, Encodable { var cells: [String] }
    static let template = "backoffice/reports"
    var chrome: PageChrome
    var kinds: [SelectOption]
    var title: String
    var caption: String
    var from: String
    var to: String
    var header: [String]
    var rows: [Row]
    var hasRows: Bool
    var notes: [String]
    var csvURL: String
    var xlsxURL: String
    var problem: String?
    var notice: String?
}
