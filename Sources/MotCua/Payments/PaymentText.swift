import Foundation

// Text that leaves the portal for a payment network: VNPay's order description and the VietQR transfer note.
// Both must be plain ASCII. VNPay's documentation asks for "Tiếng Việt không dấu và không bao gồm các ký tự
// đặc biệt" in vnp_OrderInfo, and its reference implementations disagree on how to escape "~*!()'" (so a
// signature over such a character may not verify at the gateway); Vietnamese banking apps drop or mangle
// anything but letters, digits, spaces and a little punctuation in a transfer note. Our own code, a few lines
// over Foundation's Unicode decomposition, like `VietnameseText.fold` but keeping case.

/// ASCII folding and checking of text sent to payment networks.
public enum PaymentText {
    /// Punctuation that every escaping rule treats alike (`-` `_` `.` pass as they are; the others are
    /// always percent-escaped) and that banking apps keep in a transfer note.
    static let punctuation: Set<Character> = ["-", "_", ".", ",", ":", "/", "#"]

    /// "Lệ phí thi tuyển Đợt 1" → "Le phi thi tuyen Dot 1": tones and hats removed, "đ"/"Đ" as "d"/"D",
    /// runs of white space as one space, ends trimmed. Characters with no ASCII form stay as they are (and
    /// `isAllowed` refuses them).
    public static func foldToASCII(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            if (0x0300...0x036F).contains(scalar.value) { continue }  // combining marks: the tones and hats
            if scalar.properties.isWhitespace {
                pendingSpace = !output.isEmpty
                continue
            }
            if pendingSpace {
                output.append(" ")
                pendingSpace = false
            }
            switch scalar.value {
            case 0x0111: output.append("d")  // đ
            case 0x0110: output.append("D")  // Đ
            default: output.append(scalar)
            }
        }
        return String(output)
    }

    /// Letters and digits of ASCII, the space, and `punctuation`.
    public static func isAllowed(_ character: Character) -> Bool {
        guard character.isASCII else { return false }
        return character.isLetter || character.isNumber || character == " " || punctuation.contains(character)
    }

    /// The characters of folded `text` that `isAllowed` refuses, in order of first appearance, for a
    /// message that names them.
    public static func refusedCharacters(in text: String) -> [Character] {
        var seen: [Character] = []
        for character in text where !isAllowed(character) && !seen.contains(character) {
            seen.append(character)
        }
        return seen
    }
}
