import Foundation

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
