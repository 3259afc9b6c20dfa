import Foundation

struct PasswordFormPage: PageModel {
    static let template = "accounts/password-form"
    var chrome: PageChrome
    var heading: String
    var intro: String?
    var action: String
    var submitLabel: String
    var csrfToken: String
    var token: String?
    var fields: [FormInput]
    var notice: String?
    var problem: String?
}
