import Foundation

/// The agency administrator's list of units: each with its head and members, a form to rename it and
/// choose its head, a delete button; and the form to create one.
struct UnitsPage: PageModel {
    static let template = "admin/units"
    var chrome: PageChrome
    var csrfToken: String
    var agencyName: String
    /// "?co-quan=…" for the system administrator's forms (they manage any agency), empty otherwise.
    var agencyQuery: String
    var units: [UnitRow]
    var hasUnits: Bool
    var nameField: FormInput
    /// The system administrator has not chosen an agency yet: the page lists them instead.
    var agencies: [AgencyChoice]
    var choosingAgency: Bool
    var notice: String?
    var problem: String?
}

struct UnitRow: Sendable, Encodable {
    var id: Int64
    var name: String
    var headName: String?
    var memberCount: Int
    var nameField: FormInput
    var headOptions: [SelectOption]
    var headError: String?
    /// A refusal that is about this unit as a whole (deletion, a head of another unit).
    var unitError: String?
    var csrfToken: String
    var agencyQuery: String
}

struct AgencyChoice: Sendable, Encodable {
    var code: String
    var name: String
}

/// What a unit page says after a change, carried in the redirect's query (`thong-bao`).
enum UnitNotice: String, Sendable {
    case created = "da-tao"
    case saved = "da-luu"
    case deleted = "da-xoa"
    case moved = "da-chuyen-don-vi"

    var text: String {
        switch self {
        case .created: "Đã tạo đơn vị."
        case .saved: "Đã lưu thay đổi của đơn vị."
        case .deleted: "Đã xóa đơn vị."
        case .moved: "Đã chuyển cán bộ sang đơn vị mới."
        }
    }
}
