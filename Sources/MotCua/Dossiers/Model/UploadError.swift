import Foundation
import HTTPTypes

/// Why an uploaded file was not kept. Nothing of the file stays when any of these is thrown.
enum UploadError: PortalErrorConvertible, Equatable, Sendable {
    /// The procedure has no such required document.
    case noSuchDocument
    /// The dossier does not take files in its status (409).
    case closed(String)
    /// Over the per-file limit or what is left of the dossier's total (413).
    case tooLarge(maxFileBytes: Int64, remainingBytes: Int64)
    /// Not a file of the accepted formats, or empty (415).
    case rejected(String)
    /// The request body broke off before the file was complete (400).
    case incomplete

    var portalError: PortalError {
        switch self {
        case .noSuchDocument: .notFound("Không có thành phần hồ sơ này.")
        case .closed(let message): PortalError(status: .conflict, message: message)
        case .tooLarge(let maxFile, let remaining):
            PortalError(status: .contentTooLarge, message: "Tệp vượt quá dung lượng cho phép (mỗi tệp tối đa \(maxFile / 1_048_576) MB; còn lại cho hồ sơ này \(max(0, remaining) / 1_048_576) MB).")
        case .rejected(let message): PortalError(status: .unsupportedMediaType, message: message)
        case .incomplete:
            .badRequest("Tệp tải lên không trọn vẹn: kết nối bị ngắt trước khi gửi xong. Vui lòng tải lại.",
                        fields: [.init(name: "body", reason: "incomplete")])
        }
    }
}
