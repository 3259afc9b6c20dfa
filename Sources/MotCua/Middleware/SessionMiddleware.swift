import Foundation
import HTTPTypes
import Hummingbird

/// Finds who is asking: a session cookie on pages, a bearer token on the API. An unknown or expired
/// session cookie is cleared, so a forged or stale cookie never lingers.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "motcua_session"

    let sessions: SessionStore
    let apiTokens: APITokenStore
    let cookies: SessionCookies
    let errorPages: ErrorPages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if request.uri.path.hasPrefix("/api/") {
            if let token = Self.bearerToken(request) {
                guard let user = try await apiTokens.user(forToken: token) else {
                    throw PortalError(status: .unauthorized, message: "Mã truy cập (token) không hợp lệ hoặc đã bị thu hồi.")
                }
                context.identity = Identity(user: user, sessionHash: nil)
            }
            return try await next(request, context)
        }
        guard let secret = request.cookies[Self.cookieName]?.value, !secret.isEmpty else {
            return try await next(request, context)
        }
        if secret.utf8.count <= 128, let (user, session) = try await sessions.load(secret: secret) {
            context.identity = Identity(user: user, sessionHash: session.idHash)
            // Error pages rendered here keep the signed-in header (the outer error middleware no longer
            // knows who is asking).
            do {
                return try await next(request, context)
            } catch {
                return errorPages.response(for: error, request: request, context: context)
            }
        }
        // Unknown or expired: answer as for a visitor, and clear the cookie even when that answer is an error
        // (such as the redirect to the login page).
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = errorPages.response(for: error, request: request, context: context)
        }
        // …unless the answer starts a new session itself (a login with a stale cookie still in the browser).
        if !response.headers[values: .setCookie].contains(where: { $0.hasPrefix(Self.cookieName + "=") }) {
            response.setCookie(cookies.expired(Self.cookieName))
        }
        return response
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }
}

/// Cookie attributes in one place: HttpOnly always, SameSite=Lax, Secure when served over HTTPS.
struct SessionCookies: Sendable {
    let secure: Bool

    func make(_ name: String, value: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func expired(_ name: String, path: String = "/") -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: path, secure: secure, httpOnly: true, sameSite: .lax)
    }

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

/// Protects every state-changing form with a double-submit token: the browser holds it in an HttpOnly,
/// SameSite cookie and each form repeats it in `_csrf`; a request from another site has neither. Requests
/// that a browser marks as cross-site are refused outright. Form bodies are limited in size here too.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "motcua_csrf"
    static let fieldName = "_csrf"
    static let maxFormBytes = 64 * 1024

    let cookies: SessionCookies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The API (bearer tokens, no cookies) and operations endpoints have no forms to protect.
        let path = request.uri.path
        if path.hasPrefix("/api/") || ["/healthz", "/readyz", "/metrics"].contains(path) {
            return try await next(request, context)
        }
        var context = context
        var request = request
        let existing = request.cookies[Self.cookieName].map(\.value).flatMap { Self.isWellFormed($0) ? $0 : nil }
        context.csrfToken = existing ?? Secrets.random()
        let unsafe = ![.get, .head, .options].contains(request.method)
        if unsafe {
            if request.headers[.secFetchSite] == "cross-site" {
                throw PortalError(status: .forbidden, message: "Yêu cầu từ trang web khác bị từ chối.")
            }
            let submitted: String
            if MultipartFileStream.boundary(from: request.headers[.contentType]) != nil {
                // File uploads stream past this middleware: their token comes in the form's action URL.
                submitted = request.queryValues[Self.fieldName] ?? ""
            } else {
                let body: ByteBuffer
                do {
                    body = try await request.collectBody(upTo: Self.maxFormBytes)
                } catch {
                    throw PortalError(status: .contentTooLarge, message: "Dữ liệu biểu mẫu quá lớn (tối đa 64 KB).")
                }
                submitted = QueryValues(query: String(buffer: body))[Self.fieldName] ?? ""
            }
            guard let existing, Secrets.constantTimeEquals(submitted, existing) else {
                throw PortalError(
                    status: .forbidden,
                    message: "Phiên làm việc của biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.")
            }
        }
        var response = try await next(request, context)
        if existing == nil {
            response.setCookie(cookies.make(Self.cookieName, value: context.csrfToken))
        }
        return response
    }

    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { $0 == 0x2D || $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }
}

extension HTTPField.Name {
    static let secFetchSite = Self("Sec-Fetch-Site")!
}

extension Data {
    /// Base64 with the URL- and cookie-safe alphabet, without padding (RFC 4648 §5).
    func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init?(base64URLEncoded text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        self.init(base64Encoded: base64)
    }
}
