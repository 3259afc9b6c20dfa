import Foundation

/// How each demo agency is organized: its units, and one demo account per kind of work with its unit.
enum DemoOrganization {
    static let unitNames = [
        "Bộ phận tiếp nhận và trả kết quả", "Phòng Công chức, viên chức", "Phòng Tổ chức bộ máy",
        "Phòng Xây dựng chính quyền và công tác thanh niên", "Ban Thi đua – Khen thưởng", "Ban Tôn giáo",
        "Chi cục Văn thư – Lưu trữ", "Lãnh đạo Sở",
    ]

    struct Account: Sendable {
        var role: StaffRole
        /// The e-mail is "<prefix>.<agency suffix>@motcua.demo"; other test suites sign in with these.
        var prefix: String
        /// The display name, followed by " – <province>".
        var name: String
        var unit: String?
        var isHead: Bool
    }

    static let accounts: [Account] = [
        Account(role: .receptionist, prefix: "tiepnhan", name: "Cán bộ tiếp nhận", unit: "Bộ phận tiếp nhận và trả kết quả", isHead: true),
        Account(role: .processor, prefix: "chuyenvien", name: "Chuyên viên xử lý", unit: "Phòng Công chức, viên chức", isHead: false),
        Account(role: .processor, prefix: "truongphong", name: "Trưởng phòng Công chức, viên chức", unit: "Phòng Công chức, viên chức",
                isHead: true),
        Account(role: .leader, prefix: "lanhdao", name: "Lãnh đạo", unit: "Lãnh đạo Sở", isHead: true),
        Account(role: .agencyAdmin, prefix: "quantri", name: "Quản trị", unit: nil, isHead: false),
    ]
}
