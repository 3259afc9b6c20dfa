import Foundation
import Hummingbird

/// Cookie attributes in one place: HttpOnly always, SameSite=Lax, Secure when served over HTTPS.
/// Over HTTPS the site-wide cookies carry the `__Host-` prefix: the browser then only accepts them Secure,
/// for this host and path "/", so a sibling subdomain cannot plant a session or a CSRF token.
struct SessionCookies: Sendable {
    let secure: Bool

    /// The name a site-wide cookie goes by on this deployment.
    func name(_ base: String) -> String { secure ? "__Host-" + base : base }

    func make(_ name: String, value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: self.name(name), value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func expired(_ name: String, path: String = "/") -> Cookie {
        Cookie(name: path == "/" ? self.name(name) : name, value: "", maxAge: 0, path: path, secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// A site-wide cookie's value in the request.
    func value(_ name: String, in request: Request) -> String? { request.cookies[self.name(name)]?.value }

    /// A value to show once on the next page of `path` (after a redirect), such as a new token: short-lived,
    /// HttpOnly, sent only to that page, cleared when shown. Reloading the form's answer cannot repeat the action.
    /// A one-time value for the next page (a new password or token shown once). Base64url-encoded, so
    /// whatever it holds cannot break the cookie header.
    func flash(_ value: String, path: String) -> Cookie {
        Cookie(name: Self.flashName, value: Data(value.utf8).base64URLEncodedString(), maxAge: 120, path: path, secure: secure,
               httpOnly: true, sameSite: .strict)
    }

    static func flashValue(of request: Request) -> String? {
        request.cookies[flashName].flatMap { Data(base64URLEncoded: $0.value) }.map { String(decoding: $0, as: UTF8.self) }
    }

    static let flashName = "motcua_flash"
}

extension Data {
    /// Base64 with the URL- and cookie-safe alphabet, without padding (RFC 4648 §5).
    /// (Byte by byte: Foundation's `replacingOccurrences` three times over was 2 % of a signed-in page's CPU.)
    func base64URLEncodedString() -> String {
        var bytes = Array(base64EncodedString().utf8)
        while bytes.last == UInt8(ascii: "=") { bytes.removeLast() }
        for index in bytes.indices {
            switch bytes[index] {
            case UInt8(ascii: "+"): bytes[index] = UInt8(ascii: "-")
            case UInt8(ascii: "/"): bytes[index] = UInt8(ascii: "_")
            default: break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
