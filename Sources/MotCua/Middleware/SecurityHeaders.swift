import HTTPTypes
import Hummingbird

/// Security headers on every response, and the request id so users and logs can be matched.
enum SecurityHeaders {
    /// No inline scripts or styles, nothing from other origins, never framed.
    static let contentSecurityPolicy = contentSecurityPolicy(formActions: [])

    /// The policy, with forms also allowed to lead to `formActions` (origins): browsers apply `form-action` to
    /// the redirect after a form's POST too, so the payment page names its gateway.
    static func contentSecurityPolicy(formActions: [String]) -> String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + "object-src 'none'; base-uri 'self'; form-action \((["'self'"] + formActions).joined(separator: " ")); frame-ancestors 'none'"
    }

    /// Over HTTPS: browsers keep to HTTPS for a year (RFC 6797).
    static let strictTransportSecurity = "max-age=31536000; includeSubDomains"

    static func apply(to response: inout Response, requestID: String, https: Bool = false) {
        if https { response.headers[.strictTransportSecurity] = strictTransportSecurity }
        // A handler may have widened `form-action` (and only that: see `contentSecurityPolicy(formActions:)`).
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = contentSecurityPolicy }
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
