import Foundation

/// Dossier statuses, with the codes the National Public Service Portal uses (SPEC.md). `draft` is the
/// portal's own state before submission and has no national code.
public enum DossierStatus: Int, Sendable, Codable, CaseIterable {
    case draft = 0
    case registered = 1
    case accepted = 2
    case refused = 3
    case processing = 4
    case supplementRequested = 5
    case feeRequested = 6
    case withdrawn = 7
    case stopped = 8
    case finished = 9
    case returned = 10

    public var label: String {
        switch self {
        case .draft: "Hồ sơ nháp"
        case .registered: "Mới đăng ký, chờ tiếp nhận"
        case .accepted: "Đã tiếp nhận"
        case .refused: "Không tiếp nhận"
        case .processing: "Đang xử lý"
        case .supplementRequested: "Yêu cầu bổ sung hồ sơ"
        case .feeRequested: "Yêu cầu nộp phí, lệ phí"
        case .withdrawn: "Đã rút hồ sơ"
        case .stopped: "Dừng xử lý"
        case .finished: "Đã có kết quả"
        case .returned: "Đã trả kết quả"
        }
    }
}
