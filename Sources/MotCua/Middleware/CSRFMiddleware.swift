import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// Protects every state-changing form with a double-submit token: the browser holds it in an HttpOnly,
/// SameSite cookie and each form repeats it in `_csrf`; a request from another site has neither. Requests
/// that a browser marks as cross-site are refused outright. Form bodies are limited in size here too.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "motcua_csrf"
    static let fieldName = "_csrf"
    static let maxFormBytes = 64 * 1024

    let cookies: SessionCookies
    /// Errors below are rendered here, with this request's token (the sign-out form of the error page needs it).
    let errorPages: ErrorPages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // The API (bearer tokens, no cookies), static files and operations endpoints have no forms to protect.
        let path = request.uri.path
        if path.hasPrefix("/api/") || path.hasPrefix("/static/") || ["/healthz", "/readyz", "/metrics"].contains(path) {
            return try await next(request, context)
        }
        var context = context
        var request = request
        let existing = cookies.value(Self.cookieName, in: request).flatMap { Self.isWellFormed($0) ? $0 : nil }
        // With a session, the token is the session's own (derived from its secret): a token read before login,
        // or from another session, is worth nothing. Without one, the double-submit cookie's token.
        // (`SessionMiddleware` runs first: only a live session counts.)
        let session = context.identity?.sessionHash == nil ? nil : cookies.value(SessionMiddleware.cookieName, in: request)
        let expected = session.map(Self.token(forSession:)) ?? existing
        let token = CSRFToken(expected)
        context.csrf = token
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
            guard let expected, Secrets.constantTimeEquals(submitted, expected) else {
                throw PortalError(
                    status: .forbidden,
                    message: "Phiên làm việc của biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.")
            }
        }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = errorPages.response(for: error, request: request, context: context)
        }
        // Only a page with a form that posts needs the cookie: reading pages set none. A login or logout sets its
        // own (the token is renewed with the session).
        let renewed = response.headers[values: .setCookie].contains { $0.hasPrefix(cookies.name(Self.cookieName) + "=") }
        if token.wasUsed, existing != token.value, !renewed {
            response.setCookie(cookies.make(Self.cookieName, value: token.value))
        }
        return response
    }

    /// The CSRF token of a session: a digest of its secret (43 base64url characters, like a random token).
    static func token(forSession secret: String) -> String {
        Data(SHA256.hash(data: Data(("motcua-csrf:" + secret).utf8))).base64URLEncodedString()
    }

    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { $0 == 0x2D || $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }
    }
}

extension HTTPField.Name {
    static let secFetchSite = Self("Sec-Fetch-Site")!
}
