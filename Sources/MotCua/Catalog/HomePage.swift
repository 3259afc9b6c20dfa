import Foundation

struct AgencyCard: Sendable, Encodable {
    var name: String
    var province: String
    var url: String
    var procedureCount: Int
}

struct FieldLink: Sendable, Encodable {
    var name: String
    var url: String
    var procedureCount: Int
}

struct HomePage: PageModel {
    static let template = "home"
    var chrome: PageChrome
    var procedureCount: Int
    var fullOnlineCount: Int
    var agencyCount: Int
    var agencies: [AgencyCard]
    var fields: [FieldLink]
}
