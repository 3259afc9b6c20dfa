
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
