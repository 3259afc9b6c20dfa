import HTTPTypes
import Hummingbird

/// Puts the client's real address into the context (for throttling and the session list): the socket's
/// peer, or, from a trusted proxy only, the address `X-Forwarded-For` names.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trusted: TrustedProxies

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !trusted.ranges.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientIP = trusted.clientAddress(peer: context.clientIP, forwardedFor: request.headers[values: .xForwardedFor])
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
