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

    /// "0,5 ngày", "2 ngày", "1,5 ngày".
    public var allowanceText: String {
        halfDays % 2 == 0 ? "\(halfDays / 2) ngày làm việc" : "\(halfDays / 2),5 ngày làm việc"
    }
}

extension ProcessStep {
    /// The standard unit names of a provincial Home Affairs department, used by the demo catalog and data.
    static let receptionUnit = "Bộ phận tiếp nhận và trả kết quả"
    static let leadershipUnit = "Lãnh đạo Sở"
}
