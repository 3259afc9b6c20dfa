import Foundation
import Hummingbird
import Logging

/// Turns every error into an answer people can read: a Vietnamese page, or a problem document under
/// `/api/`. Unexpected errors are logged with the request id and never shown.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let pages: ErrorPages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return pages.response(for: error, request: request, context: context)
        }
    }
}

/// Renders an error as a Vietnamese page or, under `/api/`, a problem document.
struct ErrorPages: Sendable {
    let renderer: HTMLRenderer

    func response(for error: any Error, request: Request, context: some RequestContext) -> Response {
        if error is LoginRequired {
            if request.uri.path.hasPrefix("/api/") {
                var response = ProblemDetails(
                    title: "Unauthorized", status: 401,
                    detail: "Cần mã truy cập API hợp lệ trong tiêu đề Authorization: Bearer …", instance: request.uri.path
                ).response()
                response.headers[.wwwAuthenticate] = "Bearer"
                return response
            }
            let next = request.uri.description
            return Response(status: .seeOther, headers: [.location: "/dang-nhap" + SiteURL.encodedQuery([URLQueryItem(name: "next", value: next)])])
        }
        let answer = classify(error, context: context)
        var response = render(answer, request: request, context: context)
        // Load shed on purpose (a 503 that passes): say when to come back.
        if let seconds = answer.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
        return response
    }

    private func render(_ answer: PortalError, request: Request, context: some RequestContext) -> Response {
        let (status, message, fields) = (answer.status, answer.message, answer.fieldErrors)
        if request.uri.path.hasPrefix("/api/") {
            var response = ProblemDetails(
                title: status.reasonPhrase, status: Int(status.code), detail: message, instance: request.uri.path,
                errors: fields.isEmpty ? nil : fields
            ).response()
            // Every 401 says how to authenticate (RFC 9110 §11.6.1).
            if status == .unauthorized { response.headers[.wwwAuthenticate] = #"Bearer error="invalid_token""# }
            return response
        }
        let title = ErrorPage.heading(for: status)
        let chrome = (context as? AppRequestContext).map { PageChrome(title: title, context: $0) } ?? PageChrome(title: title)
        let page = ErrorPage(
            chrome: chrome, status: Int(status.code),
            heading: ErrorPage.heading(for: status), message: message, requestID: context.id)
        do {
            return try renderer.render(page, status: status).response(from: request, context: context)
        } catch {
            context.logger.error("Error page failed to render", metadata: ["error": "\(String(reflecting: error))"])
            return Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: message)))
        }
    }

    private func classify(_ error: any Error, context: some RequestContext) -> PortalError {
        switch error {
        case let error as any PortalErrorConvertible:
            let answer = error.portalError
            if answer.status.code >= 500, answer.retryAfterSeconds == nil {
                context.logger.error("Request failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            return answer
        case let error as any HTTPResponseError:
            return PortalError(status: error.status, message: ErrorPage.defaultMessage(for: error.status))
        default:
            context.logger.error("Unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return PortalError(status: .internalServerError, message: ErrorPage.defaultMessage(for: .internalServerError))
        }
    }
}

struct ErrorPage: PageModel {
    static let template = "error"
    var chrome: PageChrome
    var status: Int
    var heading: String
    var message: String
    var requestID: String

    static func heading(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "Yêu cầu không hợp lệ"
        case 401: "Cần đăng nhập"
        case 403: "Không có quyền truy cập"
        case 404: "Không tìm thấy trang"
        case 405: "Thao tác không được hỗ trợ"
        case 413: "Dữ liệu gửi lên quá lớn"
        case 429: "Quá nhiều yêu cầu"
        case 503: "Hệ thống đang bận"
        default: status.code >= 500 ? "Hệ thống đang gặp sự cố" : "Không thực hiện được yêu cầu"
        }
    }

    static func defaultMessage(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "Yêu cầu không hợp lệ. Vui lòng kiểm tra lại thông tin đã nhập."
        case 401: "Vui lòng đăng nhập để tiếp tục."
        case 403: "Bạn không có quyền thực hiện thao tác này."
        case 404: "Trang bạn tìm không tồn tại hoặc đã được chuyển đi."
        case 405: "Thao tác này không được hỗ trợ tại địa chỉ này."
        case 413: "Dữ liệu gửi lên vượt quá giới hạn cho phép."
        case 429: "Bạn đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau ít phút."
        default: "Đã có lỗi xảy ra. Vui lòng thử lại sau; nếu vẫn lỗi, hãy liên hệ bộ phận hỗ trợ và cung cấp mã yêu cầu."
        }
    }
}
