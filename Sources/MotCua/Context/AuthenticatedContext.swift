import Foundation
import Hummingbird
import Logging
import NIOCore

/// The context of routes that need a signed-in account: `identity` cannot be missing, so a handler
/// cannot forget to check it. Entering such a route without one answers "please sign in".
public struct AuthenticatedContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let identity: Identity
    let csrf: CSRFToken?
    /// The token a form of this response carries; reading it makes the response set the cookie.
    var csrfToken: String { csrf?.use() ?? "" }
    let clientIP: String

    public init(context: AppRequestContext) throws {
        guard let identity = context.identity else { throw LoginRequired() }
        self.coreContext = context.coreContext
        self.identity = identity
        self.csrf = context.csrf
        self.clientIP = context.clientIP
    }

    public var responseEncoder: JSONEncoder { PortalJSON.encoder() }

    var user: User { identity.user }
}
