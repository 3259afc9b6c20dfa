import Foundation

/// A period of whole Vietnam days chosen on a staff page (`tu-ngay`, `den-ngay`, both inclusive), shared by
/// the tracking book and the staff reports: the current month up to today when none is given, at most
/// `maxDays` long, and not starting after today (nothing could be in it yet).
struct DateRangeQuery: Sendable {
    var from: CivilDate?
    var to: CivilDate?
    /// Why the dates cannot be used, in Vietnamese; nil when they can.
    var problem: String?

    /// `subject` names the page in the message about a too long period ("Sổ theo dõi", "Báo cáo").
    init(_ query: QueryValues, today: CivilDate, subject: String, maxDays: Int = 366) {
        from = query["tu-ngay"]?.nonEmpty.map { CivilDate(iso: $0) } ?? CivilDate(today.year, today.month, 1)
        to = query["den-ngay"]?.nonEmpty.map { CivilDate(iso: $0) } ?? today
        guard let from, let to else {
            problem = "Ngày phải có dạng năm-tháng-ngày (YYYY-MM-DD)."
            return
        }
        if to < from {
            problem = "Ngày kết thúc phải từ ngày bắt đầu trở đi."
        } else if to.julianDay - from.julianDay > maxDays {
            problem = "\(subject) xem tối đa một năm mỗi lần; vui lòng chọn khoảng ngày ngắn hơn."
        } else if today < from {
            problem = "Ngày bắt đầu không được sau hôm nay."
        }
    }

    /// The first moment of the period and the first moment after it, when the dates can be used.
    var instants: (start: Int64, end: Int64)? {
        guard problem == nil, let from, let to else { return nil }
        return (OfficeHours.instant(on: from), OfficeHours.instant(on: to.adding(days: 1)))
    }

    /// The dates as the form and the download links carry them.
    var parameters: [String: String?] { ["tu-ngay": from?.description, "den-ngay": to?.description] }
}
