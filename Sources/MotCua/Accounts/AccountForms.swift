/// The fixed forms of the account pages, decoded by `Request.decodeForm`. Every field is optional: a form
/// posted without one gets the page's own message for an empty field, not a decoding error.
struct SignInForm: Decodable {
    var email: String?
    var password: String?
    var next: String?
}

/// A form that carries only the secret of a single-use link (`ma`) or an address.
struct LinkForm: Decodable {
    var ma: String?
}

struct EmailForm: Decodable {
    var email: String?
}

struct ResetPasswordForm: Decodable {
    var ma: String?
    var password: String?
    var passwordConfirmation: String?

    enum CodingKeys: String, CodingKey {
        case ma, password
        case passwordConfirmation = "password_confirmation"
    }
}

struct ChangePasswordForm: Decodable {
    var currentPassword: String?
    var password: String?
    var passwordConfirmation: String?

    enum CodingKeys: String, CodingKey {
        case password
        case currentPassword = "current_password"
        case passwordConfirmation = "password_confirmation"
    }
}

struct ProfileForm: Decodable {
    var displayName: String?
    var phone: String?
    var address: String?

    enum CodingKeys: String, CodingKey {
        case phone, address
        case displayName = "display_name"
    }
}

struct TokenNameForm: Decodable {
    var tokenName: String?

    enum CodingKeys: String, CodingKey {
        case tokenName = "token_name"
    }
}
