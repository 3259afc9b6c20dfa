import Foundation

struct LoginPage: PageModel {
    static let template = "accounts/login"
    var chrome: PageChrome
    var csrfToken: String
    var next: String
    var fields: [FormInput]
    var notice: String?
    var problem: String?

    init(email: String = "", next: String, notice: String? = nil, problem: String? = nil, chrome: PageChrome, csrfToken: String) {
        self.chrome = chrome
        self.csrfToken = csrfToken
        self.next = next
        self.notice = notice
        self.problem = problem
        fields = [
            FormInput("email", "Thư điện tử", type: "email", value: email, autocomplete: "username", maxLength: 254),
            FormInput("password", "Mật khẩu", type: "password", autocomplete: "current-password", maxLength: nil),
        ]
    }
}
