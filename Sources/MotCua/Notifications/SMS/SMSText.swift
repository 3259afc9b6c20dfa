import Foundation

/// How long a text message is on the air. A message in the GSM 03.38 alphabet takes 160 characters in one
/// segment and 153 in each of several; anything else (Vietnamese with its diacritics) goes as UCS-2: 70
/// characters in one, 67 in each of several. Characters of the GSM extension table take two places.
enum SMSText {
    /// The most segments a notice may take: more costs three times as much and arrives out of order on old phones.
    static let maxSegments = 3

    private static let gsmBasic: Set<Character> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
    private static let gsmExtension: Set<Character> = Set("^{}\\[~]|€\u{0C}")

    /// Whether the text can go in the 7-bit GSM alphabet.
    static func isGSM(_ text: String) -> Bool {
        text.allSatisfy { gsmBasic.contains($0) || gsmExtension.contains($0) }
    }

    /// The places the text takes in its encoding: septets for GSM, UTF-16 code units for UCS-2.
    static func units(_ text: String) -> Int {
        isGSM(text) ? text.reduce(0) { $0 + (gsmExtension.contains($1) ? 2 : 1) } : text.utf16.count
    }

    /// How many segments the text is sent in (0 for an empty text).
    static func segments(_ text: String) -> Int {
        let units = units(text)
        guard units > 0 else { return 0 }
        let (single, part) = isGSM(text) ? (160, 153) : (70, 67)
        return units <= single ? 1 : (units + part - 1) / part
    }

    /// The text cut, with an ellipsis, to fit `maxSegments` (a long procedure name must not make a notice cost more).
    static func fitted(_ text: String, segments limit: Int = maxSegments) -> String {
        guard segments(text) > limit else { return text }
        var characters = Array(text)
        while !characters.isEmpty, segments(String(characters) + "…") > limit { characters.removeLast() }
        return String(characters).trimmingCharacters(in: .whitespaces) + "…"
    }

    /// A Vietnamese phone number in the international form gateways take ("0912 345 678" → "84912345678"),
    /// or nil when it is not a phone number.
    static func internationalNumber(_ phone: String) -> String? {
        var digits = phone.filter(\.isNumber)
        guard digits.allSatisfy(\.isASCII) else { return nil }
        if digits.hasPrefix("0") { digits = "84" + digits.dropFirst() }
        guard digits.hasPrefix("84"), (10...12).contains(digits.count) else { return nil }
        return digits
    }
}
