import Foundation
import HTTPTypes
import Hummingbird

/// Finds who is asking: a session cookie on pages, a bearer token on the API. An unknown or expired
/// session cookie is cleared, so a forged or stale cookie never lingers.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "motcua_session"

    let sessions: SessionStore
    let apiTokens: APITokenStore
    let cookies: SessionCookies
    let errorPages: ErrorPages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Stylesheets and images need no identity: no session lookup, and the file middleware in front
        // sees the router's "not found" as it expects.
        if request.uri.path.hasPrefix("/static/") { return try await next(request, context) }
        var context = context
        // The gateway's notification is a machine's call without an identity: a stray Authorization header
        // changes nothing there (its answer is always the gateway's protocol).
        if request.uri.path == GatewayCallbackPaths.vnpayNotification { return try await next(request, context) }
        if request.uri.path.hasPrefix("/api/") {
            if let token = Self.bearerToken(request) {
                guard let user = try await apiTokens.user(forToken: token) else {
                    throw PortalError(status: .unauthorized, message: "Mã truy cập (token) không hợp lệ hoặc đã bị thu hồi.")
                }
                context.identity = Identity(user: user, sessionHash: nil)
            }
            return try await next(request, context)
        }
        guard let secret = cookies.value(Self.cookieName, in: request), !secret.isEmpty else {
            return try await next(request, context)
        }
        if secret.utf8.count <= 128, let (user, session) = try await sessions.load(secret: secret) {
            context.identity = Identity(user: user, sessionHash: session.idHash)
            // Error pages rendered here keep the signed-in header (the outer error middleware no longer
            // knows who is asking).
            do {
                return try await next(request, context)
            } catch {
                return errorPages.response(for: error, request: request, context: context)
            }
        }
        // Unknown or expired: answer as for a visitor, and clear the cookie even when that answer is an error
        // (such as the redirect to the login page).
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = errorPages.response(for: error, request: request, context: context)
        }
        // …unless the answer starts a new session itself (a login with a stale cookie still in the browser).
        if !response.headers[values: .setCookie].contains(where: { $0.hasPrefix(cookies.name(Self.cookieName) + "=") }) {
            response.setCookie(cookies.expired(Self.cookieName))
        }
        return response
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else { return nil }
        return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
    }
}

