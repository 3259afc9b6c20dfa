import HTTPTypes
import Hummingbird

/// Sits in front of the router, because the router picks a route before its middleware runs:
/// answers HEAD as GET without a body, answers a known path asked with a method it does not take with
/// 405 and the methods it does take, and puts the security headers on every response.
struct PortalResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == AppRequestContext {
    let inner: Inner
    let routes: RouteTable
    let errorPages: ErrorPages
    /// The public URL is https: HSTS on every answer.
    var https = false

    func respond(to request: Request, context: AppRequestContext) async throws -> Response {
        var response: Response
        let allowed = routes.methods(forPath: request.uri.path)
        if request.method == .head {
            response = try await inner.respond(to: request.withMethod(.get), context: context)
            // Same headers as GET, Content-Length included, without the body.
            let length = response.body.contentLength
            response.body = .init()
            if let length { response.headers[.contentLength] = String(length) }
        } else if !allowed.isEmpty, !allowed.contains(request.method) {
            response = errorPages.response(
                for: PortalError(status: .methodNotAllowed, message: ErrorPage.defaultMessage(for: .methodNotAllowed)),
                request: request, context: context)
            let names = (allowed.contains(.get) ? ["GET", "HEAD"] : []) + allowed.filter { $0 != .get }.map(\.rawValue).sorted()
            response.headers[.allow] = names.joined(separator: ", ")
        } else {
            response = try await inner.respond(to: request, context: context)
        }
        SecurityHeaders.apply(to: &response, requestID: context.id, https: https)
        return response
    }
}

extension Request {
    func withMethod(_ method: HTTPRequest.Method) -> Request {
        var head = self.head
        head.method = method
        return Request(head: head, body: body)
    }
}
