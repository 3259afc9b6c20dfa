import Foundation

/// Online service level under Decree 42/2022/NĐ-CP.
public enum OnlineLevel: String, Sendable, Codable, CaseIterable {
    case full
    case partial

    public var label: String {
        switch self {
        case .full: "Toàn trình"
        case .partial: "Một phần"
        }
    }
}
