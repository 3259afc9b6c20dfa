import HTTPTypes
import Hummingbird

/// Security headers on every response, and the request id so users and logs can be matched.
enum SecurityHeaders {
    /// No inline scripts or styles, nothing from other origins, never framed.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

    /// Over HTTPS: browsers keep to HTTPS for a year (RFC 6797).
    static let strictTransportSecurity = "max-age=31536000; includeSubDomains"

    static func apply(to response: inout Response, requestID: String, https: Bool = false) {
        if https { response.headers[.strictTransportSecurity] = strictTransportSecurity }
        response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "strict-origin-when-cross-origin"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.permissionsPolicy] = "camera=(), microphone=(), geolocation=()"
        response.headers[.requestID] = requestID
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let requestID = Self("X-Request-Id")!
    static let permissionsPolicy = Self("Permissions-Policy")!
}
