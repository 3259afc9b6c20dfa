import Foundation
import Hummingbird

/// An RFC 9457 problem document (`application/problem+json`), the API's only error shape.
public struct ProblemDetails: Codable, Sendable, Equatable {
    public var type: String = "about:blank"
    public var title: String
    public var status: Int
    public var detail: String?
    public var instance: String?
    /// Per-parameter problems, for 400 answers.
    public var errors: [FieldError]?

    public struct FieldError: Codable, Sendable, Equatable {
        public var name: String
        public var reason: String
    }

    func response() -> Response {
        let data = (try? PortalJSON.encoder().encode(self)) ?? Data("{}".utf8)
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/problem+json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

