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

/// An error a handler throws to answer with a specific status and a message for people.
/// `message` is Vietnamese and safe to show; details of internal failures never go here.
public struct PortalError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var fieldErrors: [ProblemDetails.FieldError] = []

    public static func notFound(_ message: String) -> PortalError { PortalError(status: .notFound, message: message) }
    public static func badRequest(_ message: String, fields: [ProblemDetails.FieldError] = []) -> PortalError {
        PortalError(status: .badRequest, message: message, fieldErrors: fields)
    }
}

/// The one JSON style of every answer: stable key order, unescaped slashes.
enum PortalJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
