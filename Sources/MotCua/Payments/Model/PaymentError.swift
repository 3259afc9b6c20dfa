import HTTPTypes

/// Why a payment step was refused; nothing is changed on any of these.
enum PaymentError: PortalErrorConvertible, Equatable, Sendable {
    case notAwaitingPayment
    case gatewayUnavailable
    case transferUnavailable
    case amountMismatch(expected: Money, given: Money)
    case receiptNotFound
    case alreadyRefunded
    case notRefundable
    case invalidStatement(String)

    var message: String {
        switch self {
        case .notAwaitingPayment: "Hồ sơ không ở trạng thái chờ nộp phí, lệ phí."
        case .gatewayUnavailable: "Cơ quan chưa nhận thanh toán trực tuyến qua cổng thanh toán. Vui lòng chọn chuyển khoản."
        case .transferUnavailable: "Cơ quan chưa công bố tài khoản nhận chuyển khoản."
        case .amountMismatch(let expected, let given):
            "Số tiền \(given.formatted) không khớp với số phải nộp \(expected.formatted)."
        case .receiptNotFound: "Không tìm thấy biên lai này."
        case .alreadyRefunded: "Biên lai này đã được hoàn trả."
        case .notRefundable: "Chỉ hoàn trả phí, lệ phí của hồ sơ bị từ chối, đã rút, dừng xử lý, hoặc khoản nộp thừa."
        case .invalidStatement(let message): message
        }
    }

    var portalError: PortalError {
        switch self {
        case .notAwaitingPayment, .alreadyRefunded, .notRefundable: PortalError(status: .conflict, message: message)
        case .gatewayUnavailable, .transferUnavailable: PortalError(status: .conflict, message: message)
        case .receiptNotFound: PortalError(status: .notFound, message: message)
        case .amountMismatch, .invalidStatement: PortalError(status: .unprocessableContent, message: message)
        }
    }
}
