import Hummingbird

/// A query string with a malformed percent-escape (`?q=%FF`) is answered 400 with the page (or a problem
/// document), before any handler reads it as if the parameter were missing.
struct QueryEncodingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let query = request.uri.query, query.contains("%") {
            _ = try QueryValues(query: query).checked(allowingRepeats: true)
        }
        return try await next(request, context)
    }
}
