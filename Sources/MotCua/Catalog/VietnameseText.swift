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

