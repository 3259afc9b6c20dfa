import HTTPTypes
import Hummingbird

/// Security headers on every response, and the request id so users and logs can be matched.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// No inline scripts or styles, nothing from other origins, never framed.
    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "strict-origin-when-cross-origin"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.requestID] = context.id
        response.headers[.permissionsPolicy] = "camera=(), microphone=(), geolocation=()"
        return response
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let requestID = Self("X-Request-Id")!
    static let permissionsPolicy = Self("Permissions-Policy")!
}
