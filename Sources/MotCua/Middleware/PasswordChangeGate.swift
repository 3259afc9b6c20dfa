import Foundation
import Hummingbird

/// A staff member created with a generated password sets their own before anything else: every page sends
/// them to `/tai-khoan/dat-mat-khau` (which, with signing out, static files and health checks, stays open),
/// and the API answers 403 until they have.
struct PasswordChangeGate: RouterMiddleware {
    typealias Context = AppRequestContext
    static let path = "/tai-khoan/dat-mat-khau"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let user = context.identity?.user, user.mustChangePassword else { return try await next(request, context) }
        let path = request.uri.path
        if path == Self.path || path == "/dang-xuat" || path.hasPrefix("/static/") || ["/healthz", "/readyz", "/metrics"].contains(path) {
            return try await next(request, context)
        }
        if path.hasPrefix("/api/") {
            throw PortalError(status: .forbidden, message: "Tài khoản cần đặt mật khẩu mới trên Cổng trước khi dùng API.")
        }
        return Response(status: .seeOther, headers: [.location: Self.path])
    }
}
