import Foundation
import HTTPTypes

/// An error a handler throws to answer with a specific status and a message for people.
/// `message` is Vietnamese and safe to show; details of internal failures never go here.
public struct PortalError: PortalErrorConvertible, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    public var fieldErrors: [ProblemDetails.FieldError] = []
    /// Sent as `Retry-After` (a 503 or 429 that will pass).
    public var retryAfterSeconds: Int?

    public static func notFound(_ message: String) -> PortalError { PortalError(status: .notFound, message: message) }
    public static func badRequest(_ message: String, fields: [ProblemDetails.FieldError] = []) -> PortalError {
        PortalError(status: .badRequest, message: message, fieldErrors: fields)
    }
}

extension PortalError {
    public var portalError: PortalError { self }
}

/// A domain error that knows how people are told about it: its HTTP status and a Vietnamese message.
/// The error middleware turns any of these into the page or the problem document, so handlers just throw;
/// a page that shows the message beside its form reads `portalError` itself.
public protocol PortalErrorConvertible: Error {
    var portalError: PortalError { get }
}

extension PortalErrorConvertible {
    /// The caller's mistake (4xx), to show beside the form, as opposed to a failure of the server.
    var isClientError: Bool { (400..<500).contains(portalError.status.code) }
}
