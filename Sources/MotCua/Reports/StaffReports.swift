import Foundation

/// Builds each staff report of one agency and period as a `ReportTable`, with a totals row where the
/// columns add up.
struct StaffReports: Sendable {
    let database: any Database
    let catalog: CatalogReader
    var officeHours: OfficeHours = .standard

    struct Result: Sendable {
        var table: ReportTable
        /// The overdue list stopped at its limit: there were more rows.
        var truncated = false
    }

    func report(_ kind: StaffReportKind, agencyCode: String, from start: Int64, before end: Int64, now: Int64) async throws -> Result {
        switch kind {
        case .officers: try await officers(agencyCode: agencyCode, start: start, end: end, now: now)
        case .procedures: try await procedures(agencyCode: agencyCode, start: start, end: end, now: now)
        case .overdue: try await overdue(agencyCode: agencyCode, start: start, end: end, now: now)
        }
    }

    static let officerHeader = [
        "STT", "Cán bộ", "Vai trò", "Đơn vị", "Bước nhận trong kỳ", "Bước hoàn thành trong kỳ", "Trước hạn", "Đúng hạn", "Trễ hạn",
        "Tỷ lệ đúng hạn (%)", "Đang giữ", "Đang giữ quá hạn",
    ]

    private func officers(agencyCode: String, start: Int64, end: Int64, now: Int64) async throws -> Result {
        async let figures = StaffReportStore(database: database).officerFigures(agencyCode: agencyCode, from: start, before: end, now: now)
        async let units = UnitStore(database: database).units(agencyCode: agencyCode)
        let staff = try await UserStore(database: database).staff(agencyCode: agencyCode)
        let byPerson = try await figures
        let unitNames = Dictionary(try await units.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        // Everyone who works on dossiers, and anyone else who has figures (a person whose role changed).
        let people = staff.filter { ($0.role?.worksOnDossiers ?? false) || byPerson[$0.id] != nil }
        var total = OfficerFigures()
        var rows: [[XLSXWriter.Cell]] = []
        for (index, person) in people.enumerated() {
            let f = byPerson[person.id] ?? OfficerFigures()
            total.received += f.received; total.early += f.early; total.onTime += f.onTime; total.late += f.late
            total.holding += f.holding; total.holdingOverdue += f.holdingOverdue
            let name = person.displayName + (person.disabled ? " (đã khóa)" : "")
            rows.append([.number(Int64(index + 1)), .text(name), .text(person.role?.label ?? ""),
                         .text(person.unitID.flatMap { unitNames[$0] } ?? "")] + Self.officerFigures(f))
        }
        rows.append([.empty, .text("Tổng cộng"), .empty, .empty] + Self.officerFigures(total))
        return Result(table: ReportTable(header: Self.officerHeader, rows: rows))
    }

    private static func officerFigures(_ f: OfficerFigures) -> [XLSXWriter.Cell] {
        [.number(Int64(f.received)), .number(Int64(f.finished)), .number(Int64(f.early)), .number(Int64(f.onTime)),
         .number(Int64(f.late)), percent(f.early + f.onTime, f.finished), .number(Int64(f.holding)), .number(Int64(f.holdingOverdue))]
    }

    static let procedureHeader = [
        "STT", "Mã thủ tục", "Tên thủ tục", "Tiếp nhận", "Trực tuyến", "Trực tiếp", "Bưu chính", "Đang giải quyết", "Trong đó quá hạn",
        "Đã giải quyết", "Trước hạn", "Đúng hạn", "Trễ hạn", "Tỷ lệ đúng hạn (%)", "Không tiếp nhận", "Rút hồ sơ", "Dừng xử lý",
    ]

    private func procedures(agencyCode: String, start: Int64, end: Int64, now: Int64) async throws -> Result {
        async let counts = StatisticsStore(database: database).counts(agencyCode: agencyCode, from: start, before: end, now: now)
        let entries = try await catalog.snapshot().index.entries
        let period = try await counts
        let ours = entries.filter { $0.agencyCode == agencyCode }.sorted { $0.code < $1.code }
        // The catalog's procedures of the agency, then any since removed that has figures in the period.
        let removed = Set(period.byProcedure.keys).subtracting(ours.map(\.id)).sorted()
        let named = ours.map { (id: $0.id, code: $0.code, name: $0.name) }
            + removed.map { (id: $0, code: "", name: "Thủ tục đã gỡ khỏi danh mục (số \($0))") }
        var rows: [[XLSXWriter.Cell]] = named.enumerated().map { index, procedure in
            [.number(Int64(index + 1)), .text(procedure.code), .text(procedure.name)]
                + Self.procedureFigures(period.byProcedure[procedure.id] ?? DossierCounts())
        }
        rows.append([.empty, .empty, .text("Tổng cộng")] + Self.procedureFigures(period.total))
        return Result(table: ReportTable(header: Self.procedureHeader, rows: rows))
    }

    private static func procedureFigures(_ c: DossierCounts) -> [XLSXWriter.Cell] {
        [c.received, c.online, c.desk, c.post, c.inProgress, c.overdue, c.resolved, c.early, c.onTime, c.late].map { .number(Int64($0)) }
            + [percent(c.earlyOrOnTime, c.resolved)] + [c.refused, c.withdrawn, c.stopped].map { .number(Int64($0)) }
    }

    static let overdueHeader = [
        "STT", "Mã hồ sơ", "Thủ tục", "Người nộp", "Ngày nhận", "Ngày hẹn trả", "Ngày có kết quả", "Trễ (ngày làm việc)", "Tình trạng",
        "Bước hiện tại", "Người đang giữ", "Thư xin lỗi",
    ]

    private func overdue(agencyCode: String, start: Int64, end: Int64, now: Int64) async throws -> Result {
        let limit = StaffReportStore.overdueLimit
        async let found = StaffReportStore(database: database).overdue(agencyCode: agencyCode, from: start, before: end, now: now,
                                                                     limit: limit + 1)
        let calendar = try await CalendarOverrides(database: database).calendar()
        let dossiers = try await found
        let rows = dossiers.prefix(limit).enumerated().map { index, d -> [XLSXWriter.Cell] in
            let late = officeHours.workingMilliseconds(from: d.dueAt, to: d.finishedAt ?? now, calendar: calendar)
            return [
                .number(Int64(index + 1)), .text(d.code), .text(d.procedureName), .text(d.applicantName),
                .text(d.submittedAt.map(VietnameseFormat.dateTime) ?? ""), .text(VietnameseFormat.dateTime(d.dueAt)),
                .text(d.finishedAt.map(VietnameseFormat.dateTime) ?? ""), .text(Self.days(late, officeHours)),
                .text(d.finishedAt == nil ? "Đang xử lý quá hạn" : "Đã giải quyết trễ hạn"),
                .text(d.finishedAt == nil ? d.stepName ?? "" : ""), .text(d.holderName ?? ""),
                .text(d.apologies > 0 ? "Đã gửi (\(d.apologies))" : "Chưa"),
            ]
        }
        return Result(table: ReportTable(header: Self.overdueHeader, rows: Array(rows)), truncated: dossiers.count > limit)
    }

    /// Office time as working days with one decimal, Vietnamese style ("1,5").
    static func days(_ milliseconds: Int64, _ hours: OfficeHours) -> String {
        let day = hours.periods.reduce(0) { $0 + Int64($1.end - $1.start) * 60_000 }
        guard day > 0 else { return "" }
        return VietnameseFormat.oneDecimal(Double(milliseconds) / Double(day))
    }

    /// A percentage with one decimal ("85,7"), empty when there is nothing to divide.
    static func percent(_ numerator: Int, _ denominator: Int) -> XLSXWriter.Cell {
        guard let value = Indicator.percent(numerator, denominator) else { return .empty }
        return .text(VietnameseFormat.oneDecimal(value))
    }
}
