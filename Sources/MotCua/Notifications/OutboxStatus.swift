/// Where a message of the outbox stands; stored as its raw value.
enum OutboxStatus: String, Sendable, Codable {
    case pending
    case sent
    /// Given up after the last attempt; shown to the system administrator.
    case failed

    var label: String {
        switch self {
        case .pending: "Đang chờ gửi"
        case .sent: "Đã gửi"
        case .failed: "Gửi thất bại"
        }
    }
}
