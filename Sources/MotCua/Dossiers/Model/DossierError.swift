import Foundation
import HTTPTypes

/// Why a dossier rule refused a request. Each case knows its HTTP status and its Vietnamese message, so
/// services throw these and the error middleware (or a page that shows the message beside its form)
/// presents them; no handler maps them by hand.
enum DossierError: PortalErrorConvertible, Equatable, Sendable {
    /// Nothing was saved: the database gave back no row where one was expected.
    case notSaved
    /// No such dossier (or procedure) for this caller: someone else's is "not found" too.
    case notFound
    /// A rule refused the request; the message is Vietnamese and safe to show (422).
    case refused(String)
    /// The action is not open to this account (403).
    case forbidden(String)
    /// The action does not fit the dossier's current status (409).
    case conflict(String)
    case invalidFields(FieldErrors)

    var portalError: PortalError {
        switch self {
        case .notFound: .notFound("Không tìm thấy hồ sơ hoặc thủ tục này.")
        case .notSaved: PortalError(status: .internalServerError, message: "Không lưu được hồ sơ. Vui lòng thử lại.")
        case .refused(let message): PortalError(status: .unprocessableContent, message: message)
        case .forbidden(let message): PortalError(status: .forbidden, message: message)
        case .conflict(let message): PortalError(status: .conflict, message: message)
        case .invalidFields(let errors):
            PortalError(status: .unprocessableContent, message: "Thông tin hồ sơ chưa hợp lệ.",
                        fieldErrors: errors.messages.sorted { $0.key < $1.key }.map { .init(name: $0.key, reason: $0.value) })
        }
    }

    /// The message for one field, or the general message: what a form shows beside the field.
    func message(for field: String) -> String {
        if case .invalidFields(let errors) = self, let message = errors[field] { return message }
        return portalError.message
    }
}
