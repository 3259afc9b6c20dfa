import Foundation

/// What the registration form sent, as typed (kept to fill the form again when something is wrong).
struct RegistrationForm: Sendable, Decodable {
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

    enum CodingKeys: String, CodingKey {
        case kind, phone, email, address, password, representative
        case fullName = "full_name"
        case citizenID = "citizen_id"
        case dateOfBirth = "date_of_birth"
        case organizationName = "organization_name"
        case taxCode = "tax_code"
        case passwordConfirmation = "password_confirmation"
    }

    /// The registration form as posted (`Request.decodeForm`): fields trimmed, a missing one empty.
    init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        func text(_ key: CodingKeys) throws -> String? { try values.decodeIfPresent(String.self, forKey: key) }
        kind = try text(.kind) == AccountKind.organization.rawValue ? .organization : .individual
        fullName = Self.clean(try text(.fullName))
        citizenID = Self.clean(try text(.citizenID))
        dateOfBirth = Self.clean(try text(.dateOfBirth))
        organizationName = Self.clean(try text(.organizationName))
        taxCode = Self.clean(try text(.taxCode))
        representative = Self.clean(try text(.representative))
        phone = Self.clean(try text(.phone))
        email = Self.clean(try text(.email))
        address = Self.clean(try text(.address))
        password = try text(.password) ?? ""
        passwordConfirmation = try text(.passwordConfirmation) ?? ""
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

