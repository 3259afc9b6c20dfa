

/// An account. Never carries the password hash.
public struct User: Sendable, Equatable {
    public var id: Int64
    public var kind: AccountKind
    public var email: String
    public var displayName: String
    public var citizenID: String?
    public var dateOfBirth: String?
    public var taxCode: String?
    public var representative: String?
    public var phone: String
    public var address: String
    public var role: StaffRole?
    public var agencyCode: String?
    public var emailVerified: Bool
    public var disabled: Bool
    /// The unit (phòng ban) of the agency a staff member works in; nil for applicants and staff not yet placed.
    public var unitID: Int64? = nil
    /// Created with a generated password: must set their own before anything else.
    public var mustChangePassword: Bool = false
    /// An applicant the desk registered from paper (no sign-in): their ID number and e-mail as they gave them.
    public var walkIn: Bool = false
    public var walkInIDNumber: String? = nil
    public var contactEmail: String? = nil
    /// The row id of `agencyCode`, so that lists filter by it without looking the code up.
    public var agencyID: Int64? = nil

    /// Where the applicant's notices go: the account's address, or the e-mail a walk-in applicant gave (if any).
    var noticeEmail: String? { walkIn ? contactEmail : email }

    var isStaff: Bool { kind == .staff }

    /// The citizen ID or tax code this applicant files with.
    var idNumber: String? { walkIn ? walkInIDNumber : citizenID ?? taxCode }

    /// Staff of an agency in a role that works on its dossiers.
    var worksOnDossiers: Bool { isStaff && agencyCode != nil && (role?.worksOnDossiers ?? false) }

    /// The kind of applicant this account files as; staff file for nobody.
    var applicantType: ApplicantType? {
        switch kind {
        case .individual: .individual
        case .organization: .organization
        case .staff: nil
        }
    }
}

