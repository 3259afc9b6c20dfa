import Foundation

/// The password rules: at least 10 characters, at most 72 bytes (what bcrypt reads), not the e-mail address,
/// not a well-known password.
struct PasswordPolicy: Sendable {
    let common: Set<String>
    static let minimumLength = 10
    /// bcrypt reads at most 72 bytes; anything after them would be silently ignored.
    static let maximumBytes = 72

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
        if PasswordHasher.normalized(password).utf8.count > Self.maximumBytes {
            return "Mật khẩu dài quá \(Self.maximumBytes) byte (khoảng \(Self.maximumBytes) chữ không dấu; chữ có dấu tiếng Việt chiếm 2–3 byte). Vui lòng chọn mật khẩu ngắn hơn."
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
