import Foundation
import Hummingbird
import NIOCore

/// The request context of every route. `identity` is optional here; protected route groups use
/// `AuthenticatedContext`, where it is not.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Identity?
    /// This request's CSRF token (see `CSRFMiddleware`); nil on the API.
    var csrf: CSRFToken?
    /// The token a form of this response carries; reading it makes the response set the cookie.
    var csrfToken: String { csrf?.use() ?? "" }
    /// The client's address, for throttling and the session list (see `ClientAddressMiddleware`).
    var clientIP: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientIP = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// JSON answers with stable key order and unescaped slashes, like the problem documents.
    public var responseEncoder: JSONEncoder { PortalJSON.encoder() }
}
