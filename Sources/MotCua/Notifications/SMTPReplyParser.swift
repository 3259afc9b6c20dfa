import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

struct SMTPReply: Sendable, Equatable {
    var code: Int
    /// The text of each line, without the code and separator.
    var lines: [String]
    var text: String { self.lines.joined(separator: "\n") }
}

/// What EHLO advertised.
struct SMTPExtensions: Sendable {
    private var keywords: Set<String> = []
    private(set) var authMechanisms: Set<String> = []

    init(ehloReply: SMTPReply) {
        // The first line is the greeting; each further line is "KEYWORD [params]".
        for line in ehloReply.lines.dropFirst() {
            let words = line.uppercased().split(whereSeparator: { $0 == " " || $0 == "=" }).map(String.init)
            guard let keyword = words.first else { continue }
            self.keywords.insert(keyword)
            if keyword == "AUTH" { self.authMechanisms.formUnion(words.dropFirst()) }
        }
    }

    func supports(_ keyword: String) -> Bool { self.keywords.contains(keyword) }
}

/// Assembles reply lines ("250-first", "250 last") into replies. Pure, so it is tested without a socket.
struct SMTPReplyParser {
    static let maximumLines = 1000
    private var code: Int?
    private var lines: [String] = []

    var isInsideReply: Bool { self.code != nil }

    /// Feeds one line (without CRLF); returns the reply when this line completes it.
    mutating func feed(_ line: String) throws -> SMTPReply? {
        let bytes = Array(line.utf8)
        let digits = bytes.prefix(3)
        guard digits.count == 3, digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let code = Int(String(decoding: digits, as: UTF8.self)), (200...599).contains(code)
        else { throw SMTPError.connectionFailed("malformed reply line: \(line.prefix(80).debugDescription)") }
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw SMTPError.connectionFailed("malformed reply line: \(line.prefix(80).debugDescription)")
        }
        if let current = self.code, current != code {
            throw SMTPError.connectionFailed("reply code changed inside a multi-line reply: \(current) then \(code)")
        }
        guard self.lines.count < Self.maximumLines else { throw SMTPError.connectionFailed("reply too long") }
        self.code = code
        self.lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        guard separator == UInt8(ascii: " ") else { return nil }
        defer {
            self.code = nil
            self.lines = []
        }
        return SMTPReply(code: code, lines: self.lines)
    }
}
