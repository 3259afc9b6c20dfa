import Foundation

struct LookupResult: Sendable, Encodable {
    var code: String
    var procedureName: String
    var agencyName: String
    var status: String
    var submittedAt: String?
    var dueAt: String?
    /// The new appointment day after an apology (the day only: the reason is the applicant's).
    var rescheduledTo: String?
}

struct LookupPage: PageModel {
    static let template = "dossiers/lookup"
    var chrome: PageChrome
    var code: String
    var result: LookupResult?
    var problem: String?
    var notice: String?
}
