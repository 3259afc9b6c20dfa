import Foundation
import Hummingbird

extension Request {
    /// A form of fixed fields (`application/x-www-form-urlencoded`, already size-limited by `CSRFMiddleware`),
    /// decoded into `Form` by Hummingbird's `URLEncodedFormDecoder`: "+" is a space, a malformed escape or a
    /// field sent twice is refused with a 400 and nothing is done. Fields the form does not name (`_csrf`) are
    /// ignored; a field the form names but the browser left out decodes as nil.
    func decodeForm<Form: Decodable>(_ type: Form.Type) async throws -> Form {
        var request = self
        let text = String(buffer: try await request.collectBody(upTo: CSRFMiddleware.maxFormBytes))
        // Hummingbird's decoder turns an escape that is not UTF-8 (`%FF`) into U+FFFD instead of refusing it;
        // Foundation's percent-decoding refuses it, so the form is checked with that first.
        guard text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding != nil else {
            throw PortalError.badRequest("Dữ liệu gửi lên có mã hóa ký tự không hợp lệ.", fields: [.init(name: "body", reason: "percent-encoding")])
        }
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: text)
        } catch let error as URLEncodedFormError {
            let field = String(error.value.prefix(40))
            switch error.code {
            case .duplicateKeys:
                throw PortalError.badRequest("Biểu mẫu gửi trường \"\(field)\" nhiều lần.", fields: [.init(name: field, reason: "repeated")])
            case .failedToPercentDecode:
                throw PortalError.badRequest("Dữ liệu gửi lên có mã hóa ký tự không hợp lệ (ở \"\(field)\").",
                                             fields: [.init(name: field, reason: "percent-encoding")])
            default:
                throw PortalError.badRequest("Biểu mẫu gửi trường \"\(field)\" không đúng dạng.", fields: [.init(name: field, reason: "structure")])
            }
        } catch is DecodingError {
            throw PortalError.badRequest("Biểu mẫu gửi lên không đúng dạng của trang này.")
        }
    }
}
