import HTTPTypes
import Hummingbird

/// Sits in front of the router, because the router picks a route before its middleware runs:
/// answers HEAD as GET without a body, gives a known path asked with a method it does not take a 405
/// with `Allow` instead of a 404, and puts the security headers on every response.
struct PortalResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == AppRequestContext {
    let inner: Inner
    let errorPages: ErrorPages

    func respond(to request: Request, context: AppRequestContext) async throws -> Response {
        var response: Response
        switch request.method {
        case .head:
            response = try await inner.respond(to: request.withMethod(.get), context: context)
            response.body = .init()
        case .get:
            response = try await inner.respond(to: request, context: context)
        default:
            response = try await inner.respond(to: request, context: context)
            if response.status == .notFound {
                // Every route answers GET: a GET that finds something means the path exists.
                let probe = try await inner.respond(to: request.withMethod(.get, emptyBody: true), context: context)
                if probe.status != .notFound {
                    response = errorPages.response(
                        for: PortalError(status: .methodNotAllowed, message: ErrorPage.defaultMessage(for: .methodNotAllowed)),
                        request: request, context: context)
                    response.headers[.allow] = "GET, HEAD"
                }
            }
        }
        SecurityHeaders.apply(to: &response, requestID: context.id)
        return response
    }
}

extension Request {
    func withMethod(_ method: HTTPRequest.Method, emptyBody: Bool = false) -> Request {
        var head = self.head
        head.method = method
        return Request(head: head, body: emptyBody ? RequestBody(buffer: ByteBuffer()) : body)
    }
}
