/// One step of a procedure's process ("Quy trình", "ISO điện tử"): what is done, by which unit of the
/// agency and in which role, and the time allowed in half working days (a day is the office hours of one
/// working day, so 1 = half a day). The steps' allowances add up to the procedure's processing time.
public struct ProcessStep: Sendable, Equatable, Codable {
    public var name: String
    /// The responsible unit, by its name within the agency (e.g. "Phòng Công chức, viên chức").
    public var unit: String
    /// The role that acts in this step.
    public var role: StaffRole
    public var halfDays: Int

    public init(name: String, unit: String, role: StaffRole, halfDays: Int) {
        self.name = name
        self.unit = unit
        self.role = role
        self.halfDays = halfDays
    }

    /// "0,5 ngày làm việc", "2 ngày làm việc", "1,5 ngày làm việc".
    public var allowanceText: String {
        "\(Self.dayCount(halfDays: halfDays)) ngày làm việc"
    }

    /// The allowance in working days, as the catalog file and the API write it (0.5, 2, 1.5).
    public var days: Double { Double(halfDays) / 2 }

    /// A number of half days as Vietnamese writes the days: "0,5", "2", "9,5".
    static func dayCount(halfDays: Int) -> String {
        halfDays % 2 == 0 ? "\(halfDays / 2)" : "\(halfDays / 2),5"
    }
}

extension ProcessStep {
    /// The standard unit names of a provincial Home Affairs department, used by the demo catalog and data.
    static let receptionUnit = "Bộ phận tiếp nhận và trả kết quả"
    static let leadershipUnit = "Lãnh đạo Sở"

    /// The roles a step may name: the desk, a processing officer, a leader (never an administrator).
    static let stepRoles: [StaffRole] = [.receptionist, .processor, .leader]
}
