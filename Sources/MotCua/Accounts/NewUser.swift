
/// A new account before it has an id.
struct NewUser: Sendable {
    var kind: AccountKind
    var email: String
    var passwordHash: String
    var displayName: String
    var citizenID: String? = nil
    var dateOfBirth: String? = nil
    var taxCode: String? = nil
    var representative: String? = nil
    var phone: String = ""
    var address: String = ""
    var role: StaffRole? = nil
    var agencyCode: String? = nil
    var emailVerified: Bool = false
}
