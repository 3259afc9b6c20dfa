/// Who holds an account.
public enum AccountKind: String, Sendable, Codable {
    case individual
    case organization
    case staff

    var label: String {
        switch self {
        case .individual: "Cá nhân"
        case .organization: "Tổ chức"
        case .staff: "Cán bộ"
        }
    }
}

/// A staff member's role, always within one agency except for the system administrator.
public enum StaffRole: String, Sendable, Codable, CaseIterable {
    case receptionist
    case processor
    case leader
    case agencyAdmin = "agency_admin"
    case systemAdmin = "system_admin"

    public var label: String {
        switch self {
        case .receptionist: "Bộ phận tiếp nhận và trả kết quả"
        case .processor: "Chuyên viên xử lý"
        case .leader: "Lãnh đạo"
        case .agencyAdmin: "Quản trị cơ quan"
        case .systemAdmin: "Quản trị hệ thống"
        }
    }

    /// Roles an agency administrator may give within the agency.
    static let agencyRoles: [StaffRole] = [.receptionist, .processor, .leader, .agencyAdmin]

    /// Receptionists, processors and leaders work on dossiers; administrators manage accounts, not dossiers.
    var worksOnDossiers: Bool { [.receptionist, .processor, .leader].contains(self) }
}

/// An account. Never carries the password hash.
public struct User: Sendable, Equatable {
    public var id: Int64
    public var kind: AccountKind
    public var email: String
    public var displayName: String
    public var citizenID: String?
    public var dateOfBirth: String?
    public var taxCode: String?
    public var representative: String?
    public var phone: String
    public var address: String
    public var role: StaffRole?
    public var agencyCode: String?
    public var emailVerified: Bool
    public var disabled: Bool

    var isStaff: Bool { kind == .staff }

    /// Staff of an agency in a role that works on its dossiers.
    var worksOnDossiers: Bool { isStaff && agencyCode != nil && (role?.worksOnDossiers ?? false) }

    /// The kind of applicant this account files as; staff file for nobody.
    var applicantType: ApplicantType? {
        switch kind {
        case .individual: .individual
        case .organization: .organization
        case .staff: nil
        }
    }
}

/// A new account before it has an id.
struct NewUser: Sendable {
    var kind: AccountKind
    var email: String
    var passwordHash: String
    var displayName: String
    var citizenID: String? = nil
    var dateOfBirth: String? = nil
    var taxCode: String? = nil
    var representative: String? = nil
    var phone: String = ""
    var address: String = ""
    var role: StaffRole? = nil
    var agencyCode: String? = nil
    var emailVerified: Bool = false
}
