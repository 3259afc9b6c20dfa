import Foundation

/// One labelled input, with its value kept and its error, for `partials/field`.
struct FormInput: Sendable {
    var id: String
    var name: String
    var label: String
    var type: String = "text"
    var value: String = ""
    var error: String?
    var hint: String?
    var autocomplete: String?
    var required: Bool = true
    var maxLength: Int?
    var describedBy: String?

    init(_ name: String, _ label: String, type: String = "text", value: String = "", errors: FieldErrors = FieldErrors(),
         hint: String? = nil, autocomplete: String? = nil, required: Bool = true, maxLength: Int? = 200) {
        self.id = name.replacingOccurrences(of: "_", with: "-")
        self.name = name
        self.label = label
        self.type = type
        self.value = type == "password" ? "" : value
        self.error = errors[name]
        self.hint = hint
        self.autocomplete = autocomplete
        self.required = required
        self.maxLength = maxLength
        let described = [hint == nil ? nil : "\(id)-goi-y", error == nil ? nil : "\(id)-loi"].compactMap { $0 }
        self.describedBy = described.isEmpty ? nil : described.joined(separator: " ")
    }
}

struct RegisterPage: PageModel {
    static let template = "accounts/register"
    var chrome: PageChrome
    var csrfToken: String
    var kind: String
    var isIndividual: Bool
    var hasErrors: Bool
    var fields: [FormInput]
    var notice: String?
    var problem: String?

    init(form: RegistrationForm, errors: FieldErrors = FieldErrors(), chrome: PageChrome, csrfToken: String) {
        self.chrome = chrome
        self.csrfToken = csrfToken
        kind = form.kind.rawValue
        isIndividual = form.kind == .individual
        hasErrors = !errors.isEmpty
        let identity: [FormInput] = isIndividual
            ? [
                FormInput("full_name", "Họ và tên", value: form.fullName, errors: errors, autocomplete: "name", maxLength: 100),
                FormInput("citizen_id", "Số căn cước công dân (CCCD)", value: form.citizenID, errors: errors,
                          hint: "12 chữ số, ví dụ 001203004567.", autocomplete: "off", maxLength: 12),
                FormInput("date_of_birth", "Ngày sinh", type: "date", value: form.dateOfBirth, errors: errors, autocomplete: "bday", maxLength: nil),
            ]
            : [
                FormInput("organization_name", "Tên tổ chức, doanh nghiệp", value: form.organizationName, errors: errors, autocomplete: "organization"),
                FormInput("tax_code", "Mã số thuế", value: form.taxCode, errors: errors,
                          hint: "10 chữ số; chi nhánh: 10 chữ số, dấu gạch ngang và 3 chữ số.", autocomplete: "off", maxLength: 14),
                FormInput("representative", "Người đại diện theo pháp luật", value: form.representative, errors: errors, maxLength: 100),
            ]
        fields = identity + [
            FormInput("phone", "Số điện thoại di động", type: "tel", value: form.phone, errors: errors,
                      hint: "10 chữ số, bắt đầu bằng 0.", autocomplete: "tel", maxLength: 15),
            FormInput("email", "Thư điện tử", type: "email", value: form.email, errors: errors,
                      hint: "Dùng để đăng nhập và nhận thông báo về hồ sơ.", autocomplete: "email", maxLength: 254),
            FormInput("address", "Địa chỉ liên hệ", value: form.address, errors: errors, autocomplete: "street-address", maxLength: 300),
            FormInput("password", "Mật khẩu", type: "password", errors: errors, autocomplete: "new-password", maxLength: nil),
            FormInput("password_confirmation", "Nhập lại mật khẩu", type: "password", errors: errors, autocomplete: "new-password", maxLength: nil),
        ]
    }
}

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

struct SessionRow: Sendable {
    var createdAt: String
    var lastSeenAt: String
    var ip: String
    var userAgent: String
    var current: Bool
}

struct TokenRow: Sendable {
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

struct StaffRow: Sendable {
    var id: Int64
    var name: String
    var email: String
    var role: String
    var disabled: Bool
    var canToggle: Bool
    var csrfToken: String
}

struct StaffPage: PageModel {
    static let template = "admin/staff"
    var chrome: PageChrome
    var csrfToken: String
    var agencyName: String
    var staff: [StaffRow]
    var fields: [FormInput]
    var roles: [SelectOption]
    var createdEmail: String?
    var createdPassword: String?
    var notice: String?
    var problem: String?
}

struct OutboxRow: Sendable {
    var createdAt: String
    var recipient: String
    var subject: String
    var status: String
    var lastError: String?
    var body: String
}

struct OutboxPage: PageModel {
    static let template = "admin/outbox"
    var chrome: PageChrome
    var modeText: String
    var messages: [OutboxRow]
    /// How many messages were given up on, for the administrator to look into.
    var failedNotice: String?
}

