import Foundation
import HTTPTypes

/// Why a change to the agency's units was refused. Nothing was changed when one of these is thrown;
/// each case knows its status and Vietnamese message, for the page beside its form and for the API.
enum UnitError: PortalErrorConvertible, Equatable, Sendable {
    /// No such unit in this agency (another agency's unit is "not found" too).
    case notFound
    /// No such staff member in this agency (a staff member named by the URL).
    case staffNotFound
    /// The head chosen in a form is not staff of this agency.
    case invalidHead
    /// The name is empty, too long or has control characters.
    case invalidName(String)
    /// Another unit of the agency already has this name.
    case duplicateName(String)
    /// The unit still holds dossiers, members or a head, or the person heads another unit.
    case conflict(String)

    /// The form field the message belongs beside.
    var field: String? {
        switch self {
        case .invalidName, .duplicateName: "name"
        case .invalidHead: "head"
        default: nil
        }
    }

    var portalError: PortalError {
        switch self {
        case .notFound: .notFound("Không tìm thấy đơn vị này trong cơ quan của bạn.")
        case .staffNotFound: .notFound("Không tìm thấy cán bộ này trong cơ quan của bạn.")
        case .invalidHead:
            PortalError(status: .unprocessableContent, message: "Cán bộ được chọn không thuộc cơ quan này.",
                        fieldErrors: [.init(name: "head", reason: "Cán bộ được chọn không thuộc cơ quan này.")])
        case .invalidName(let message):
            PortalError(status: .unprocessableContent, message: message, fieldErrors: [.init(name: "name", reason: message)])
        case .duplicateName(let name):
            PortalError(status: .conflict, message: "Cơ quan đã có đơn vị tên “\(name)”.",
                        fieldErrors: [.init(name: "name", reason: "Cơ quan đã có đơn vị tên “\(name)”.")])
        case .conflict(let message): PortalError(status: .conflict, message: message)
        }
    }
}
