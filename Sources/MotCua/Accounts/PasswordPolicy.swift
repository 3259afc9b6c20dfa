import Foundation

/// The password rules: at least 10 characters, not the e-mail address, not a well-known password.
struct PasswordPolicy: Sendable {
    let common: Set<String>
    static let minimumLength = 10
    static let maximumLength = 200

    static func bundled() -> PasswordPolicy {
        let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt", subdirectory: "Resources/Accounts")
        let text = url.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
        return PasswordPolicy(common: Set(text.split(whereSeparator: \.isNewline).map { $0.lowercased() }))
    }

    /// A Vietnamese message for the first rule broken, or nil when the password is acceptable.
    func problem(password: String, email: String) -> String? {
        if password.count < Self.minimumLength {
            return "Mật khẩu phải có ít nhất \(Self.minimumLength) ký tự."
        }
        if password.count > Self.maximumLength {
            return "Mật khẩu dài quá \(Self.maximumLength) ký tự."
        }
        let lowered = password.lowercased()
        let emailLowered = email.lowercased()
        if !emailLowered.isEmpty,
           lowered == emailLowered || lowered == emailLowered.split(separator: "@").first.map(String.init)
        {
            return "Mật khẩu không được trùng với địa chỉ thư điện tử."
        }
        if common.contains(lowered) {
            return "Mật khẩu này quá phổ biến và dễ bị đoán. Vui lòng chọn mật khẩu khác."
        }
        return nil
    }
}
