import Foundation
import HTTPTypes
import Hummingbird

/// The system administrator's working calendar: the statutory holidays the portal computes for a year,
/// and the days the government announces on top (extra days off, Saturdays made working days), which
/// appointment dates then respect.
struct CalendarController: Sendable {
    let overrides: CalendarOverrides
    let renderer: HTMLRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        let admin = router.group("quan-tri/lich-lam-viec", context: AuthenticatedContext.self)
        admin.get(use: page)
        admin.post(use: save)
        admin.post("xoa", use: remove)
    }

    private func checkAdministrator(_ context: AuthenticatedContext) throws {
        guard context.user.role == .systemAdmin else {
            throw PortalError(status: .forbidden, message: "Chỉ quản trị hệ thống mới sửa được lịch làm việc.")
        }
    }

    @Sendable func page(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        try checkAdministrator(context)
        let year = request.queryValues["nam"].flatMap(Int.init).flatMap { (2000...2199).contains($0) ? $0 : nil }
            ?? WorkingCalendar.civilDate(of: Date()).year
        return try await render(year: year, context: context)
    }

    private func render(year: Int, context: AuthenticatedContext, problem: String? = nil, notice: String? = nil,
                        status: HTTPResponse.Status = .ok) async throws -> HTML {
        let holidays = WorkingCalendar.publicHolidays(year).sorted().map { CalendarDayRow(day: $0, note: "") }
        let announced = try await overrides.all().filter { $0.day.year == year }.map {
            CalendarDayRow(day: $0.day, note: ($0.kind == .dayOff ? "Nghỉ thêm" : "Làm bù") + ($0.note.isEmpty ? "" : ": \($0.note)"))
        }
        return try renderer.render(CalendarPage(
            chrome: PageChrome(title: "Lịch làm việc \(year)", section: .calendar, context: context), csrfToken: context.csrfToken,
            year: year, previousYear: year - 1, nextYear: year + 1, holidays: holidays, announced: announced,
            hasAnnounced: !announced.isEmpty, problem: problem, notice: notice), status: status)
    }

    @Sendable func save(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try checkAdministrator(context)
        let form = try await request.decodeForm(CalendarDayForm.self)
        guard let day = form.day.flatMap(CivilDate.init(iso:)) else {
            return try await render(year: WorkingCalendar.civilDate(of: Date()).year, context: context,
                                    problem: "Ngày không hợp lệ (năm-tháng-ngày).", status: .unprocessableContent)
                .response(from: request, context: context)
        }
        guard let kind = form.kind.flatMap(WorkingCalendar.Override.init(rawValue:)) else {
            return try await render(year: day.year, context: context, problem: "Vui lòng chọn nghỉ thêm hoặc làm bù.",
                                    status: .unprocessableContent).response(from: request, context: context)
        }
        let note = String((form.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(200))
        try await overrides.set(day, kind, note: note)
        return Response(status: .seeOther, headers: [.location: "/quan-tri/lich-lam-viec?nam=\(day.year)"])
    }

    @Sendable func remove(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try checkAdministrator(context)
        guard let day = try await request.decodeForm(CalendarDayForm.self).day.flatMap(CivilDate.init(iso:)) else {
            throw PortalError.badRequest("Ngày không hợp lệ.")
        }
        try await overrides.set(day, nil)
        return Response(status: .seeOther, headers: [.location: "/quan-tri/lich-lam-viec?nam=\(day.year)"])
    }
}

struct CalendarDayRow: Sendable, Encodable {
    var iso: String
    var label: String
    var note: String

    init(day: CivilDate, note: String) {
        iso = day.description
        let weekdays = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
        label = "\(weekdays[day.weekday]), \(String(format: "%02d/%02d/%04d", day.day, day.month, day.year))"
        self.note = note
    }
}

struct CalendarPage: PageModel {
    static let template = "admin/calendar"
    var chrome: PageChrome
    var csrfToken: String
    var year: Int
    var previousYear: Int
    var nextYear: Int
    var holidays: [CalendarDayRow]
    var announced: [CalendarDayRow]
    var hasAnnounced: Bool
    var problem: String?
    var notice: String?
}

/// An announced day as posted: the day (ISO), "off" or "work", and the note citing the announcement.
struct CalendarDayForm: Decodable {
    var day: String?
    var kind: String?
    var note: String?

    enum CodingKeys: String, CodingKey {
        case day = "ngay"
        case kind = "loai"
        case note = "ghi-chu"
    }
}
