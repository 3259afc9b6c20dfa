import Foundation

public enum ApplicantType: String, Sendable, Codable, CaseIterable {
    case individual
    case organization

    public var label: String {
        switch self {
        case .individual: "Cá nhân"
        case .organization: "Tổ chức"
        }
    }
}
