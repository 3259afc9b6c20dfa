import Foundation

struct SessionRow: Sendable, Encodable {
    var createdAt: String
    var lastSeenAt: String
    var ip: String
    var userAgent: String
    var current: Bool
}

struct TokenRow: Sendable, Encodable {
    var id: Int64
    var name: String
    var createdAt: String
    var lastUsedAt: String?
    var csrfToken: String
}

struct AccountPage: PageModel {
    static let template = "accounts/account"
    var chrome: PageChrome
    var csrfToken: String
    var facts: [InfoItem]
    var verified: Bool
    var profileFields: [FormInput]
    var passwordFields: [FormInput]
    var sessions: [SessionRow]
    var tokens: [TokenRow]
    var hasTokens: Bool
    var tokenFields: [FormInput]
    var newToken: String?
    var notice: String?
    var problem: String?
}
