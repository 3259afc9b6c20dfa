import Foundation
/// Folding of Vietnamese text for search: lower case, no diacritics, "đ" as "d", split into words.
/// "NÂNG BẬC LƯƠNG", "Nâng bậc lương" and "nang bac luong" all fold to ["nang", "bac", "luong"].
enum VietnameseText {
    static func fold(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue  // combining marks: the tones and hats
            case 0x0111: output.append("d")  // đ (Đ was lowercased above)
            default: output.append(scalar)
            }
        }
        return String(output)
    }

    /// Words of letters and digits after folding; anything else separates words.
    static func words(_ text: String) -> [String] {
        fold(text).split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }
}

/// Formatting of amounts the Vietnamese way: 100000 → "100.000 đ".
enum VietnameseFormat {
    static func money(_ amount: Int64) -> String {
        let digits = String(amount.magnitude)
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped.append(".") }
            grouped.append(character)
        }
        return (amount < 0 ? "-" : "") + grouped + " đ"
    }

    /// "2020-11-27" → "27/11/2020"; anything else is shown as written (nil when empty).
    static func date(_ iso: String) -> String? {
        let parts = iso.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4 else { return iso.isEmpty ? nil : iso }
        return "\(parts[2])/\(parts[1])/\(parts[0])"
    }
}
