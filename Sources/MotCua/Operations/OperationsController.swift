import Foundation
import Hummingbird
import Logging
import Prometheus

/// Liveness, readiness, metrics and the API description.
struct OperationsController<Context: RequestContext>: Sendable {
    let database: any Database
    let metrics: PrometheusCollectorRegistry
    /// `/metrics` answers only with `Authorization: Bearer <token>`; without a configured token it is off
    /// (404): the portal port is public, and the figures are not.
    let metricsToken: String?
    let openAPIDocument: ByteBuffer

    func addRoutes(to router: Router<Context>) {
        router.get("/healthz") { _, _ in HealthDTO(status: "ok") }
        router.get("/readyz", use: ready)
        router.get("/metrics", use: metricsText)
        router.get("/api/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: openAPIDocument))
        }
    }

    @Sendable func ready(_ request: Request, context: Context) async throws -> Response {
        do {
            try await database.ping()
            return try HealthDTO(status: "ok").response(from: request, context: context)
        } catch {
            context.logger.warning("Readiness check failed", metadata: ["error": "\(String(reflecting: error))"])
            return ProblemDetails(
                title: "Service Unavailable", status: 503, detail: "Cơ sở dữ liệu chưa sẵn sàng.", instance: "/readyz"
            ).response()
        }
    }

    @Sendable func metricsText(_ request: Request, context: Context) async throws -> Response {
        guard let metricsToken else { throw PortalError.notFound("Không tìm thấy trang.") }
        let offered = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil } ?? ""
        guard Secrets.constantTimeEquals(offered, metricsToken) else {
            var response = Response(status: .unauthorized, headers: [.contentType: "text/plain; charset=utf-8"],
                                    body: .init(byteBuffer: ByteBuffer(string: "metrics need a bearer token\n")))
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        metrics.emit(into: &buffer)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }

    static func bundledOpenAPIDocument() throws -> ByteBuffer {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml", subdirectory: "Resources"),
              let data = FileManager.default.contents(atPath: url.path)
        else { throw OperationsError.openAPIMissing }
        return ByteBuffer(bytes: data)
    }

    enum OperationsError: Error { case openAPIMissing }
}

struct HealthDTO: ResponseCodable, Sendable {
    var status: String
}
