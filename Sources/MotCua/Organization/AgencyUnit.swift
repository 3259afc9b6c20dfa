import Foundation

/// A unit (phòng ban) of an agency: where its staff work and where a dossier in processing is held.
public struct AgencyUnit: Sendable, Equatable {
    public var id: Int64
    public var agencyCode: String
    public var name: String
    /// The head (trưởng đơn vị), who assigns the unit's work; always a member of the unit.
    public var headUserID: Int64?
    public var headName: String?
    public var memberCount: Int

    /// Unit names are single-line text of 1 to 200 characters.
    static let maxNameLength = 200

    /// The name as stored: trimmed, inner runs of white space made one space; or a Vietnamese reason why not.
    static func normalizedName(_ raw: String) -> Result<String, UnitError> {
        let name = raw.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if name.isEmpty { return .failure(.invalidName("Vui lòng nhập tên đơn vị.")) }
        if name.count > maxNameLength { return .failure(.invalidName("Tên đơn vị dài quá \(maxNameLength) ký tự.")) }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .failure(.invalidName("Tên đơn vị chứa ký tự không hợp lệ."))
        }
        return .success(name)
    }
}

/// A staff member as a unit lists them.
public struct UnitMember: Sendable, Equatable {
    public var id: Int64
    public var unitID: Int64
    public var name: String
    public var role: StaffRole?
}
