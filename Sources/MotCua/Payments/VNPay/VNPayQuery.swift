import Crypto
import Foundation

// The query-string rules of the VNPay 2.1.0 protocol, and its HMAC-SHA512 signature.
//
// Our own code: no Swift package for VNPay is among those available to this project (the local package mirror
// and the installed-package list have none; VNPay itself publishes only PHP, Java, .NET and Node samples), and
// the protocol is a page of rules. What the sandbox documentation and VNPay's reference code (vnpay_php:
// vnpay_create_payment.php, vnpay_ipn.php) do:
//   1. take the vnp_ parameters (without vnp_SecureHash and vnp_SecureHashType), sorted by name;
//   2. form-encode each name and value as PHP's urlencode does: ASCII letters, digits and "-_." as they are,
//      the space as "+", every other byte of the UTF-8 form as "%XX" (upper-case hex);
//   3. join as name=value with "&"; that string is both the query and the signed data;
//   4. vnp_SecureHash = lower-case hex of HMAC-SHA512(key: the secret's UTF-8, data: that string).
// Python's urllib.parse.urlencode (quote_plus) gives the same string except for "~", which it leaves as it is;
// the tests check us against Python, and the portal never sends "~" (PaymentText refuses it).
// Empty values are left out when we sign, as VNPay's Java and .NET reference code do; its PHP sample signs them
// as "name=", so a callback that carries an empty value is accepted under either reading (both are HMACs with
// our secret over the same parameters; an empty value is treated as absent everywhere).

/// Form encoding and decoding of VNPay parameters, and the signature over them.
enum VNPayQuery {
    /// Step 2: PHP urlencode.
    static func encode(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                output.append("+")
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                output.unicodeScalars.append("%")
                output.unicodeScalars.append(hex[Int(byte >> 4)])
                output.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return output
    }

    /// Steps 1–3 over the parameters to sign (the caller has left out the hash itself).
    static func canonical(_ parameters: [String: String], includingEmpty: Bool = false) -> String {
        parameters
            .filter { includingEmpty || !$0.value.isEmpty }
            .sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
            .map { encode($0.key) + "=" + encode($0.value) }
            .joined(separator: "&")
    }

    /// Step 4.
    static func signature(of canonical: String, secret: SymmetricKey) -> String {
        let code = HMAC<SHA512>.authenticationCode(for: Data(canonical.utf8), using: secret)
        return code.map { byte in
            let hex = Array("0123456789abcdef")
            return String([hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
        }.joined()
    }

    /// Whether `hexSignature` (either case) is the HMAC of `canonical`; swift-crypto compares in constant time.
    static func isValid(signature hexSignature: String, of canonical: String, secret: SymmetricKey) -> Bool {
        guard let bytes = bytes(fromHex: hexSignature), bytes.count == SHA512.byteCount else { return false }
        return HMAC<SHA512>.isValidAuthenticationCode(bytes, authenticating: Data(canonical.utf8), using: secret)
    }

    private static func bytes(fromHex text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    enum DecodingError: Error, Equatable {
        case badEscape
        case notUTF8
        case duplicate(String)
    }

    /// Reads a query string ("a=1&b=x+y") into names and values: "+" is a space, "%XX" a byte, the bytes
    /// UTF-8. A name given twice is refused: which of two values was signed would be a guess.
    static func decode(_ query: String) throws(DecodingError) -> [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decodeComponent(parts[0])
            let value = parts.count > 1 ? try decodeComponent(parts[1]) : ""
            guard result[name] == nil else { throw .duplicate(name) }
            result[name] = value
        }
        return result
    }

    private static func decodeComponent(_ text: Substring) throws(DecodingError) -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        func hexValue(_ digit: UInt8?) -> UInt8? {
            guard let digit else { return nil }
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = hexValue(iterator.next()), let low = hexValue(iterator.next()) else { throw .badEscape }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notUTF8 }
        return text
    }
}

/// VNPay's timestamps: "yyyyMMddHHmmss" in Vietnam time (GMT+7, no daylight saving), from and to Unix
/// milliseconds, by integer arithmetic (no `Date`, no `Double`).
enum VNPayTime {
    static let offsetSeconds: Int64 = 7 * 3600

    static func format(_ milliseconds: Int64) -> String {
        let seconds = milliseconds.dividedRoundingDown(by: 1000) + offsetSeconds
        let days = seconds.dividedRoundingDown(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        let date = CivilDate(julianDay: 2_440_588 + Int(days))  // 1970-01-01 is Julian day 2440588
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return pad(Int64(date.year), 4) + pad(Int64(date.month), 2) + pad(Int64(date.day), 2)
            + pad(secondOfDay / 3600, 2) + pad(secondOfDay % 3600 / 60, 2) + pad(secondOfDay % 60, 2)
    }

    /// nil unless exactly 14 digits naming a real moment.
    static func parse(_ text: String) -> Int64? {
        guard text.utf8.count == 14, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        let digits = Array(text.utf8).map { Int($0 - UInt8(ascii: "0")) }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + digits[$1] } }
        let (year, month, day) = (number(0..<4), number(4..<6), number(6..<8))
        let (hour, minute, second) = (number(8..<10), number(10..<12), number(12..<14))
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60 else { return nil }
        let date = CivilDate(year, month, day)
        guard CivilDate(julianDay: date.julianDay) == date else { return nil }  // 31 February and the like
        let days = Int64(date.julianDay - 2_440_588)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - offsetSeconds
        return seconds * 1000
    }
}
