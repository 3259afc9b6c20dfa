import Foundation

struct StaffRow: Sendable {
    var id: Int64
    var name: String
    var email: String
    var role: String
    var disabled: Bool
    var canToggle: Bool
    var csrfToken: String
}

struct StaffPage: PageModel {
    static let template = "admin/staff"
    var chrome: PageChrome
    var csrfToken: String
    var agencyName: String
    var staff: [StaffRow]
    var fields: [FormInput]
    var roles: [SelectOption]
    var createdEmail: String?
    var createdPassword: String?
    var notice: String?
    var problem: String?
}
