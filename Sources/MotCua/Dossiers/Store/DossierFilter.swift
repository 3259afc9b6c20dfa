/// Filters of a dossier list; nil means any.
struct DossierFilter: Sendable {
    var status: DossierStatus?
    var code: String?
    /// The applicant's name (part of it) or their citizen ID / tax code (whole).
    var applicant: String?
    var procedureCode: String?
    var channel: DossierChannel?
    /// Submitted from (inclusive) and before (exclusive), in milliseconds.
    var submittedFrom: Int64?
    var submittedBefore: Int64?

    /// A citizen ID (12 digits) or a tax code (10, or 10-3) is matched whole; anything else is a name.
    var applicantIDNumber: String? {
        guard let applicant, applicant.count >= 9, applicant.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else { return nil }
        return applicant
    }
}
