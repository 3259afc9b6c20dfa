import HTTPTypes
import Hummingbird

/// Sits in front of the router, because the router picks a route before its middleware runs:
/// answers HEAD as GET without a body, answers a known path asked with a method it does not take with
/// 405 and the methods it does take, and puts the security headers on every response.
struct PortalResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == AppRequestContext {
    let inner: Inner
    let routes: RouteTable
    let errorPages: ErrorPages

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
        SecurityHeaders.apply(to: &response, requestID: context.id)
        return response
    }
}

/// The router's routes as path patterns, to tell which methods a path takes.
struct RouteTable: Sendable {
    private let routes: [(segments: [Substring], method: HTTPRequest.Method)]

    init(_ descriptions: [(path: String, method: HTTPRequest.Method)]) {
        routes = descriptions.map { (Self.segments($0.path), $0.method) }
    }

    /// The methods of the routes that match `path`. As in the router, a literal segment wins over a
    /// parameter: `/api/v1/dossiers/lookup` is the lookup (GET only), not a dossier named "lookup".
    func methods(forPath path: String) -> Set<HTTPRequest.Method> {
        let parts = Self.segments(path)
        var best = -1
        var methods = Set<HTTPRequest.Method>()
        for route in routes where route.segments.count == parts.count {
            guard zip(route.segments, parts).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) else { continue }
            let literals = route.segments.filter { !$0.hasPrefix("{") }.count
            if literals > best {
                best = literals
                methods = []
            }
            if literals == best { methods.insert(route.method) }
        }
        return methods
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}

extension Request {
    func withMethod(_ method: HTTPRequest.Method) -> Request {
        var head = self.head
        head.method = method
        return Request(head: head, body: body)
    }
}
