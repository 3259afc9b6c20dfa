import Foundation

/// What the registration form sent, as typed (kept to fill the form again when something is wrong).
struct RegistrationForm: Sendable {
    var kind: AccountKind = .individual
    var fullName = ""
    var citizenID = ""
    var dateOfBirth = ""
    var organizationName = ""
    var taxCode = ""
    var representative = ""
    var phone = ""
    var email = ""
    var address = ""
    var password = ""
    var passwordConfirmation = ""

    init() {}

    init(_ values: QueryValues) {
        kind = values["kind"] == AccountKind.organization.rawValue ? .organization : .individual
        fullName = Self.clean(values["full_name"])
        citizenID = Self.clean(values["citizen_id"])
        dateOfBirth = Self.clean(values["date_of_birth"])
        organizationName = Self.clean(values["organization_name"])
        taxCode = Self.clean(values["tax_code"])
        representative = Self.clean(values["representative"])
        phone = Self.clean(values["phone"])
        email = Self.clean(values["email"])
        address = Self.clean(values["address"])
        password = values["password"] ?? ""
        passwordConfirmation = values["password_confirmation"] ?? ""
    }

    private static func clean(_ value: String?) -> String {
        (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Checks every field; returns the account to create, or a Vietnamese message per field.
    func validate(policy: PasswordPolicy, today: Date = Date()) -> Result<NewUser, FieldErrors> {
        var errors = FieldErrors()
        var user = NewUser(kind: kind, email: email.lowercased(), passwordHash: "", displayName: "")
        switch kind {
        case .individual:
            user.displayName = errors.text(fullName, field: "full_name", label: "Họ và tên", max: 100)
            if !Identifiers.isCitizenID(citizenID) {
                errors["citizen_id"] = "Số căn cước công dân gồm đúng 12 chữ số."
            }
            user.citizenID = citizenID
            if let date = Self.date(dateOfBirth), date < today,
               let years = Calendar(identifier: .gregorian).dateComponents([.year], from: date, to: today).year, years <= 120
            {
                user.dateOfBirth = dateOfBirth
            } else {
                errors["date_of_birth"] = "Ngày sinh không hợp lệ (định dạng năm-tháng-ngày, không ở tương lai)."
            }
        case .organization, .staff:
            user.displayName = errors.text(organizationName, field: "organization_name", label: "Tên tổ chức", max: 200)
            if !Identifiers.isTaxCode(taxCode) {
                errors["tax_code"] = "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số (chi nhánh)."
            }
            user.taxCode = taxCode
            user.representative = errors.text(representative, field: "representative", label: "Người đại diện", max: 100)
        }
        if let phone = Identifiers.normalizedPhone(phone) { user.phone = phone } else {
            errors["phone"] = "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 0 (hoặc +84)."
        }
        if !Identifiers.isEmail(email) { errors["email"] = "Địa chỉ thư điện tử không hợp lệ." }
        user.address = errors.text(address, field: "address", label: "Địa chỉ", max: 300)
        if let problem = policy.problem(password: password, email: email) {
            errors["password"] = problem
        } else if password != passwordConfirmation {
            errors["password_confirmation"] = "Mật khẩu nhập lại không khớp."
        }
        return errors.isEmpty ? .success(user) : .failure(errors)
    }

    static func date(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1900...2100).contains(parts[0]), (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        var components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        components.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        let calendar = Calendar(identifier: .gregorian)
        guard let date = calendar.date(from: components),
              calendar.dateComponents(in: components.timeZone!, from: date).day == parts[2]
        else { return nil }
        return date
    }
}

