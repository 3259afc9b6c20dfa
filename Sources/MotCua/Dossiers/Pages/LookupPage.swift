import Foundation

struct LookupResult: Sendable {
    var code: String
    var procedureName: String
    var agencyName: String
    var status: String
    var submittedAt: String?
    var dueAt: String?
}

struct LookupPage: PageModel {
    static let template = "dossiers/lookup"
    var chrome: PageChrome
    var code: String
    var result: LookupResult?
    var problem: String?
    var notice: String?
}
