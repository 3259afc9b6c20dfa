import Crypto
import Foundation

/// Random secrets handed to a browser or an e-mail (session ids, single-use links, API tokens), and the
/// digests the database keeps instead of them.
enum Secrets {
    /// 32 random bytes, URL-safe base64 without padding.
    static func random(prefix: String = "") -> String {
        // Four draws of 8 bytes: one system call each, instead of one per byte.
        var generator = SystemRandomNumberGenerator()
        var bytes = Data(capacity: 32)
        for _ in 0..<4 { withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) } }
        return prefix + bytes.base64URLEncodedString()
    }

    static func digest(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hexDigits
    }

    /// Comparison whose time does not depend on where the strings differ.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
