/// The agency administrator's forms, decoded by `Request.decodeForm`.
struct StaffForm: Decodable {
    var name: String?
    var email: String?
    var role: String?
    /// The unit's name ("" or absent: none yet).
    var unit: String?
}

/// The unit chosen for a staff member: its id, or "" for none.
struct UnitChoiceForm: Decodable {
    var unit: String?
}
