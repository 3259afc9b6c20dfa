/// Shapes of the identifiers the portal accepts (SPEC.md, "Identifiers to validate").
enum Identifiers {
    /// Decision 20/2020/QĐ-TTg agency code: groups of digits/capitals joined by ".", e.g. `000.00.01.H22`.
    static func isAgencyCode(_ value: String) -> Bool {
        let groups = value.split(separator: ".", omittingEmptySubsequences: false)
        return value.utf8.count <= 32 && groups.count >= 2
            && groups.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { isDigit($0) || isUpper($0) } }
    }

    /// National procedure code, e.g. `1.005384`: letters, digits, "." and "-", at most 32.
    static func isProcedureCode(_ value: String) -> Bool {
        guard let first = value.utf8.first, isDigit(first) || isUpper(first) || isLower(first) else { return false }
        return value.utf8.count <= 32
            && value.utf8.allSatisfy { isDigit($0) || isUpper($0) || isLower($0) || $0 == 0x2E || $0 == 0x2D }
    }

    /// Lowercase ASCII words joined by "-", e.g. `cong-chuc-vien-chuc`.
    static func isSlug(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        return value.utf8.count <= 64
            && parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { isDigit($0) || isLower($0) } }
    }

    /// A form field key: lowercase ASCII, digits and "_", starting with a letter.
    static func isFieldKey(_ value: String) -> Bool {
        guard let first = value.utf8.first, isLower(first) else { return false }
        return value.utf8.count <= 64 && value.utf8.allSatisfy { isDigit($0) || isLower($0) || $0 == 0x5F }
    }

    /// An e-mail address as people type them: the usual characters before "@" (RFC 5322 atext and dots),
    /// a domain of ASCII letters, digits, hyphens and dots after it. Internationalised domains are refused:
    /// the mailer (SMTP without SMTPUTF8) could never deliver to them, so such an account could never verify.
    static func isEmail(_ value: String) -> Bool {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard value.utf8.count <= 254, parts.count == 2 else { return false }
        let local = parts[0], domain = parts[1]
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~.".unicodeScalars)
        guard !local.isEmpty, local.utf8.count <= 64, local.unicodeScalars.allSatisfy(atext.contains),
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..")
        else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { label in
            !label.isEmpty && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy { $0 == "-" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    private static func isUpper(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) }
    private static func isLower(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) }
}

extension Identifiers {
    /// Citizen ID (CCCD): 12 digits.
    static func isCitizenID(_ value: String) -> Bool {
        value.utf8.count == 12 && value.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    /// Tax code of an organization: 10 digits, or 10 digits "-" 3 digits for a branch.
    static func isTaxCode(_ value: String) -> Bool {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        let digits = { (part: Substring, count: Int) in part.utf8.count == count && part.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        return (parts.count == 1 && digits(parts[0], 10)) || (parts.count == 2 && digits(parts[0], 10) && digits(parts[1], 3))
    }

    /// A Vietnamese mobile number as "0xxxxxxxxx" (10 digits), accepting "+84…", spaces, dots and dashes.
    static func normalizedPhone(_ value: String) -> String? {
        var digits = value.filter { !" .-()".contains($0) }
        if digits.hasPrefix("+84") { digits = "0" + digits.dropFirst(3) }
        guard digits.utf8.count == 10, digits.hasPrefix("0"), digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return nil
        }
        return digits
    }
}
