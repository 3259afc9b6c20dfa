
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
