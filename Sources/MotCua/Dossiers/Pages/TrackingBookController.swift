import Foundation
import Hummingbird
import NIOCore

/// The tracking book (sổ theo dõi hồ sơ, mẫu 06) of the staff member's agency for a date range (at most a
/// year) and optionally one unit: an A4 landscape print page, a CSV (UTF-8 with BOM) and an XLSX download.
struct TrackingBookController: Sendable {
    let workflow: DossierWorkflow
    let renderer: HTMLRenderer

    static let header = [
        "STT", "Mã hồ sơ", "Thủ tục", "Người nộp", "Địa chỉ, số điện thoại", "Ngày nhận", "Ngày hẹn trả",
        "Ngày chuyển xử lý", "Ngày có kết quả", "Ngày trả kết quả",
    ]

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("mot-cua", context: AuthenticatedContext.self).get("so-theo-doi", use: book)
    }

    @Sendable func book(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try DossierWorkflow.checkWorksOnDossiers(context.user)
        let agency = context.user.agencyCode ?? ""
        let query = request.queryValues
        let units = try await UnitStore(database: workflow.database).units(agencyCode: agency)
        let range = DateRangeQuery(query, today: OfficeHours.civilDate(of: Clock.nowMilliseconds()), subject: "Sổ theo dõi")
        let (from, to) = (range.from, range.to)
        var problem = range.problem
        let unitID = query["don-vi"]?.nonEmpty.flatMap(Int64.init)
        var rows: [TrackingBookRow] = []
        if let period = range.instants {
            if let unitID, !units.contains(where: { $0.id == unitID }) {
                problem = "Đơn vị không thuộc cơ quan."
            } else {
                rows = try await workflow.store.trackingBook(agencyCode: agency, from: period.start, before: period.end, unitID: unitID)
            }
        }
        let format = query["dinh-dang"]
        if let problem, format != nil { throw PortalError(status: .badRequest, message: problem) }
        let name = "so-theo-doi-\(from?.description ?? "")-\(to?.description ?? "")"
        switch format {
        case "csv":
            return Self.download(CSVWriter.data(header: Self.header, rows: rows.enumerated().map { Self.texts($1, number: $0 + 1) }),
                                 type: "text/csv; charset=utf-8", name: name + ".csv")
        case "xlsx":
            let cells = rows.enumerated().map { index, row in
                [XLSXWriter.Cell.number(Int64(index + 1))] + Self.texts(row, number: index + 1).dropFirst().map { XLSXWriter.Cell.text($0) }
            }
            let sheet = XLSXWriter(sheetName: "Sổ theo dõi", header: Self.header, rows: cells)
            return Self.download(sheet.data(), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name: name + ".xlsx")
        case nil, "":
            break
        default:
            throw PortalError.badRequest("Định dạng tải về là csv hoặc xlsx.")
        }
        let keep = range.parameters.merging(["don-vi": unitID.map(String.init)]) { $1 }
        let page = TrackingBookPage(
            chrome: PageChrome(title: "Sổ theo dõi hồ sơ", section: .backOffice, context: context),
            agencyName: try await SQLCatalogRepository(database: workflow.database).agencies().first { $0.code == agency }?.name ?? agency,
            from: from?.description ?? "", to: to?.description ?? "",
            units: units.map { SelectOption(value: String($0.id), label: $0.name, selected: $0.id == unitID) },
            rows: rows.enumerated().map { TrackingBookPage.Row(cells: Self.texts($1, number: $0 + 1)) }, hasRows: !rows.isEmpty,
            csvURL: Self.link(keep.merging(["dinh-dang": "csv"]) { $1 }), xlsxURL: Self.link(keep.merging(["dinh-dang": "xlsx"]) { $1 }),
            problem: problem)
        let html = try renderer.render(page, status: problem == nil ? .ok : .badRequest)
        return try html.response(from: request, context: context)
    }

    static func texts(_ row: TrackingBookRow, number: Int) -> [String] {
        let time = { (value: Int64?) in value.map(VietnameseFormat.dateTime) ?? "" }
        return [
            String(number), row.code, row.procedureName, row.applicantName,
            [row.address, row.phone].filter { !$0.isEmpty }.joined(separator: "; "),
            time(row.receivedAt), time(row.dueAt), time(row.sentAt), time(row.finishedAt), time(row.returnedAt),
        ]
    }

    static func link(_ parameters: [String: String?]) -> String {
        "/mot-cua/so-theo-doi" + SiteURL.encodedQuery(parameters.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }
            .sorted { $0.name < $1.name })
    }

    static func download(_ bytes: [UInt8], type: String, name: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: type, .contentDisposition: ContentDisposition.attachment(fileName: name), .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

struct TrackingBookPage: PageModel {
    struct Row: Sendable, Encodable { var cells: [String] }
    static let template = "backoffice/tracking-book"
    var chrome: PageChrome
    var agencyName: String
    var from: String
    var to: String
    var units: [SelectOption]
    var rows: [Row]
    var hasRows: Bool
    var csvURL: String
    var xlsxURL: String
    var problem: String?
    var notice: String?
}
