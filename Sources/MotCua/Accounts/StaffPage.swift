import Foundation

struct StaffRow: Sendable, Encodable {
    var id: Int64
    var name: String
    var email: String
    var role: String
    var disabled: Bool
    var canToggle: Bool
    var csrfToken: String
    /// The unit's name, empty when the staff member is in none.
    var unit: String
    var unitOptions: [SelectOption]
    var unitError: String?
}

struct StaffPage: PageModel {
    static let template = "admin/staff"
    var chrome: PageChrome
    var csrfToken: String
    var agencyName: String
    var staff: [StaffRow]
    var fields: [FormInput]
    var roles: [SelectOption]
    /// The agency's units by name for the create form, the first option being none.
    var units: [SelectOption]
    var hasUnits: Bool
    var createdEmail: String?
    var createdPassword: String?
    var notice: String?
    var problem: String?
}
