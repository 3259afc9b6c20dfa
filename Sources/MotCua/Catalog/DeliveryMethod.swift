import Foundation

/// How the applicant receives the result.
public enum DeliveryMethod: String, Sendable, Codable, CaseIterable {
    case online
    case desk
    case post

    public var label: String {
        switch self {
        case .online: "Trực tuyến"
        case .desk: "Trực tiếp tại Bộ phận tiếp nhận và trả kết quả"
        case .post: "Qua dịch vụ bưu chính công ích"
        }
    }
}
