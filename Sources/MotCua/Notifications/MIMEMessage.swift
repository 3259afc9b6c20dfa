import Foundation

/// Renders an `EmailMessage` as the RFC 5322 / MIME text sent after DATA (CRLF line endings, 7-bit clean:
/// non-ASCII header text as RFC 2047 encoded-words, bodies in base64).
public enum MIMEMessage {
    /// Header lines that hold encoded-words are kept to this length (RFC 2047 §2).
    static let maximumHeaderLineLength = 76
    /// Encoded-words are at most this long (RFC 2047 §2).
    static let maximumEncodedWordLength = 75
    static let base64LineLength = 76

    public static func render(_ message: EmailMessage) -> String {
        self.render(message, boundary: self.makeBoundary())
    }

    static func render(_ message: EmailMessage, boundary: String) -> String {
        var headers: [String] = []
        headers.append(self.addressHeader("From", [message.from]))
        headers.append(self.addressHeader("To", message.to))
        headers.append(self.subjectHeader(message.subject))
        headers.append("Date: \(self.formatDate(message.date))")
        headers.append("Message-ID: \(self.normalizedMessageID(message.messageID))")
        headers.append("MIME-Version: 1.0")

        var lines = headers
        if let html = message.htmlBody {
            lines.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            lines.append("")
            lines.append("This is a multi-part message in MIME format.")
            for (subtype, body) in [("plain", message.textBody), ("html", html)] {
                lines.append("--\(boundary)")
                lines.append(contentsOf: self.textPart(subtype: subtype, body: body))
            }
            lines.append("--\(boundary)--")
        } else {
            lines.append(contentsOf: self.textPart(subtype: "plain", body: message.textBody))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// "=_MotCua_" + 32 random hex digits: "=_" never occurs in base64 text, so the boundary cannot
    /// collide with a body.
    static func makeBoundary() -> String {
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<16).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return self.zeroPadded(String(byte, radix: 16), to: 2)
        }
        return "=_MotCua_" + hex.joined()
    }

    /// Content-Type, Content-Transfer-Encoding, blank line, base64 of the CRLF-normalised body.
    private static func textPart(subtype: String, body: String) -> [String] {
        [
            "Content-Type: text/\(subtype); charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
        ] + self.base64Lines(Array(self.crlfNormalized(body).utf8))
    }

    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let encoded = Array(Data(bytes).base64EncodedString().utf8)
        return stride(from: 0, to: encoded.count, by: self.base64LineLength).map {
            String(decoding: encoded[$0..<min($0 + self.base64LineLength, encoded.count)], as: UTF8.self)
        }
    }

    /// Text bodies travel in canonical form: every line break is CRLF (RFC 2046 §4.1.1).
    static func crlfNormalized(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            if scalar == "\r" || scalar == "\n" {
                result.append(contentsOf: "\r\n".unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    // MARK: Headers

    /// "Subject: text" when it is short printable ASCII, else encoded-words, one per folded line.
    static func subjectHeader(_ subject: String) -> String {
        let name = "Subject: "
        let flat = self.singleLine(subject)
        let isPlain = flat.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) }
        if isPlain, !flat.contains("=?"), name.count + flat.count <= 78 {
            return name + flat
        }
        let words = self.encodedWords(flat, firstWordMaximum: self.maximumHeaderLineLength - name.count)
        return name + words.joined(separator: "\r\n ")
    }

    /// "From: Name <a@b>" / "To: a, b": each mailbox after the first on its own folded line.
    static func addressHeader(_ name: String, _ addresses: [EmailAddress]) -> String {
        var lines: [String] = []
        for (index, address) in addresses.enumerated() {
            let prefix = index == 0 ? "\(name): " : " "
            let suffix = index == addresses.count - 1 ? "" : ","
            lines.append(contentsOf: self.mailboxLines(address, prefix: prefix, suffix: suffix))
        }
        return lines.joined(separator: "\r\n")
    }

    /// One mailbox as header lines starting with `prefix` (the header name, or the folding space).
    private static func mailboxLines(_ mailbox: EmailAddress, prefix: String, suffix: String) -> [String] {
        let addrSpec = self.singleLine(mailbox.address).filter { $0 != "<" && $0 != ">" && $0 != " " }
        let name = self.singleLine(mailbox.name ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return [prefix + addrSpec + suffix] }
        let angleAddr = "<\(addrSpec)>\(suffix)"
        if name.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) {
            let quoted = "\"" + name.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"") + "\""
            return [prefix + quoted + " " + angleAddr]
        }
        let words = self.encodedWords(name, firstWordMaximum: self.maximumHeaderLineLength - prefix.count)
        var lines = [prefix + words[0]] + words.dropFirst().map { " " + $0 }
        if lines[lines.count - 1].count + 1 + angleAddr.count <= self.maximumHeaderLineLength {
            lines[lines.count - 1] += " " + angleAddr
        } else {
            lines.append(" " + angleAddr)
        }
        return lines
    }

    /// RFC 2047 "B" encoded-words for `text`, never splitting a character (grapheme) between two words
    /// unless one grapheme alone is too long for a word. The first word is at most `firstWordMaximum`
    /// characters, the others at most 75 (each goes on its own folded line, after one space).
    static func encodedWords(_ text: String, firstWordMaximum: Int) -> [String] {
        let overhead = "=?UTF-8?B??=".count
        func maximumBytes(wordLength: Int) -> Int { max(3, (wordLength - overhead) / 4 * 3) }

        var chunks: [[UInt8]] = []
        var current: [UInt8] = []
        var limit = maximumBytes(wordLength: min(firstWordMaximum, self.maximumEncodedWordLength))
        func flush() {
            chunks.append(current)
            current = []
            limit = maximumBytes(wordLength: self.maximumEncodedWordLength)
        }
        for character in text {
            let bytes = Array(character.utf8)
            if current.count + bytes.count <= limit {
                current += bytes
                continue
            }
            if !current.isEmpty { flush() }
            if bytes.count <= limit {
                current = bytes
                continue
            }
            for scalar in character.unicodeScalars {  // a huge grapheme: split between its scalars
                let scalarBytes = Array(String(scalar).utf8)
                if current.count + scalarBytes.count > limit { flush() }
                current += scalarBytes
            }
        }
        if !current.isEmpty || chunks.isEmpty { chunks.append(current) }
        return chunks.map { "=?UTF-8?B?\(Data($0).base64EncodedString())?=" }
    }

    /// Header text may not contain line breaks: they would end the header (injection).
    private static func singleLine(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }
            ))
    }

    static func normalizedMessageID(_ messageID: String) -> String {
        let bare = self.singleLine(messageID).filter { $0 != " " && $0 != "<" && $0 != ">" }
        return "<\(bare)>"
    }

    /// RFC 5322 date-time in UTC with English names: "Tue, 24 Nov 2026 10:00:00 +0000".
    static func formatDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { self.zeroPadded(String(value ?? 0), to: 2) }
        return "\(days[(parts.weekday ?? 1) - 1]), \(two(parts.day)) \(months[(parts.month ?? 1) - 1]) "
            + "\(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }

    private static func zeroPadded(_ digits: String, to length: Int) -> String {
        String(repeating: "0", count: max(0, length - digits.count)) + digits
    }
}
