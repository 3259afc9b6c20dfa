// The codes of the VNPay 2.1.0 protocol: the result of a payment (vnp_ResponseCode), the state of the
// transaction at VNPay (vnp_TransactionStatus), and the merchant's answer to an IPN (RspCode).
// Our own code, from the sandbox documentation's tables (see VNPayQuery.swift for why VNPay is ours).

/// vnp_ResponseCode of a payment, with the Vietnamese explanation VNPay's table gives.
public enum VNPayResponseCode: Sendable, Hashable {
    case success                    // 00
    case suspectedFraud             // 07: money taken, transaction suspected (fraud, unusual)
    case notRegisteredForInternetBanking  // 09
    case authenticationFailedTooOften     // 10
    case expired                    // 11
    case accountLocked              // 12
    case wrongOTP                   // 13
    case cancelledByPayer           // 24
    case insufficientFunds          // 51
    case dailyLimitExceeded         // 65
    case bankUnderMaintenance       // 75
    case wrongPaymentPasswordTooOften  // 79
    case otherError                 // 99
    case unknown(String)

    public init(code: String) {
        self = switch code {
        case "00": .success
        case "07": .suspectedFraud
        case "09": .notRegisteredForInternetBanking
        case "10": .authenticationFailedTooOften
        case "11": .expired
        case "12": .accountLocked
        case "13": .wrongOTP
        case "24": .cancelledByPayer
        case "51": .insufficientFunds
        case "65": .dailyLimitExceeded
        case "75": .bankUnderMaintenance
        case "79": .wrongPaymentPasswordTooOften
        case "99": .otherError
        default: .unknown(code)
        }
    }

    public var code: String {
        switch self {
        case .success: "00"
        case .suspectedFraud: "07"
        case .notRegisteredForInternetBanking: "09"
        case .authenticationFailedTooOften: "10"
        case .expired: "11"
        case .accountLocked: "12"
        case .wrongOTP: "13"
        case .cancelledByPayer: "24"
        case .insufficientFunds: "51"
        case .dailyLimitExceeded: "65"
        case .bankUnderMaintenance: "75"
        case .wrongPaymentPasswordTooOften: "79"
        case .otherError: "99"
        case .unknown(let code): code
        }
    }

    /// For the payer, on the return page.
    public var message: String {
        switch self {
        case .success: "Giao dịch thành công."
        case .suspectedFraud: "Đã trừ tiền nhưng giao dịch đang bị nghi ngờ, cơ quan sẽ đối soát trước khi xác nhận."
        case .notRegisteredForInternetBanking: "Thẻ hoặc tài khoản chưa đăng ký dịch vụ Internet Banking tại ngân hàng."
        case .authenticationFailedTooOften: "Xác thực thông tin thẻ hoặc tài khoản không đúng quá 3 lần."
        case .expired: "Đã hết hạn chờ thanh toán. Vui lòng thực hiện lại giao dịch."
        case .accountLocked: "Thẻ hoặc tài khoản bị khóa."
        case .wrongOTP: "Mật khẩu xác thực giao dịch (OTP) không đúng. Vui lòng thực hiện lại giao dịch."
        case .cancelledByPayer: "Bạn đã hủy giao dịch."
        case .insufficientFunds: "Tài khoản không đủ số dư để thanh toán."
        case .dailyLimitExceeded: "Tài khoản đã vượt quá hạn mức giao dịch trong ngày."
        case .bankUnderMaintenance: "Ngân hàng thanh toán đang bảo trì."
        case .wrongPaymentPasswordTooOften: "Nhập sai mật khẩu thanh toán quá số lần quy định. Vui lòng thực hiện lại giao dịch."
        case .otherError, .unknown: "Giao dịch không thành công."
        }
    }
}

/// vnp_TransactionStatus: the state of the transaction at VNPay.
public enum VNPayTransactionStatus: Sendable, Hashable {
    case success            // 00
    case incomplete         // 01: not finished yet
    case failed             // 02
    case reversed           // 04: money taken at the bank, not at VNPay
    case refundProcessing   // 05
    case refundSent         // 06: refund sent to the bank
    case suspectedFraud     // 07
    case refundRefused      // 09
    case unknown(String)

    public init(code: String) {
        self = switch code {
        case "00": .success
        case "01": .incomplete
        case "02": .failed
        case "04": .reversed
        case "05": .refundProcessing
        case "06": .refundSent
        case "07": .suspectedFraud
        case "09": .refundRefused
        default: .unknown(code)
        }
    }

    public var code: String {
        switch self {
        case .success: "00"
        case .incomplete: "01"
        case .failed: "02"
        case .reversed: "04"
        case .refundProcessing: "05"
        case .refundSent: "06"
        case .suspectedFraud: "07"
        case .refundRefused: "09"
        case .unknown(let code): code
        }
    }

    /// For the payer, when a status query finds the transaction not paid.
    public var message: String {
        switch self {
        case .success: "Giao dịch thành công."
        case .incomplete: "Giao dịch chưa hoàn tất."
        case .failed: "Giao dịch không thành công."
        case .reversed: "Giao dịch bị đảo: ngân hàng đã trừ tiền nhưng cổng thanh toán chưa ghi nhận. Cơ quan sẽ đối soát và hoàn tiền."
        case .refundProcessing: "Giao dịch đang được hoàn tiền."
        case .refundSent: "Giao dịch đã được gửi yêu cầu hoàn tiền sang ngân hàng."
        case .suspectedFraud: "Giao dịch đang bị nghi ngờ gian lận, cơ quan sẽ đối soát trước khi xác nhận."
        case .refundRefused: "Yêu cầu hoàn tiền của giao dịch bị từ chối."
        case .unknown: "Giao dịch không thành công."
        }
    }
}

/// The merchant's answer to VNPay's IPN, sent as JSON with HTTP 200: `{"RspCode":"00","Message":"Confirm Success"}`.
/// VNPay sends the IPN again later when the answer is neither "00" nor "02", or does not come.
public enum VNPayIPNAnswer: String, Sendable, CaseIterable {
    case confirmSuccess = "00"
    case orderNotFound = "01"
    case orderAlreadyConfirmed = "02"
    case invalidAmount = "04"
    case invalidSignature = "97"
    case unknownError = "99"

    /// The protocol's message for the code, in English as VNPay's samples send it.
    public var message: String {
        switch self {
        case .confirmSuccess: "Confirm Success"
        case .orderNotFound: "Order not found"
        case .orderAlreadyConfirmed: "Order already confirmed"
        case .invalidAmount: "Invalid amount"
        case .invalidSignature: "Invalid signature"
        case .unknownError: "Unknown error"
        }
    }

    /// The JSON body, RspCode first as in VNPay's samples (the messages need no escaping).
    public var jsonBody: String { #"{"RspCode":"\#(rawValue)","Message":"\#(message)"}"# }

    /// The answer for how the portal handled the notification. A refused currency is an invalid amount; a
    /// notification for another terminal names no order of ours; a malformed one is an unknown error.
    public init(_ outcome: PaymentNotificationOutcome) {
        self = switch outcome {
        case .recorded: .confirmSuccess
        case .orderNotFound: .orderNotFound
        case .alreadyConfirmed: .orderAlreadyConfirmed
        case .invalidAmount: .invalidAmount
        case .refused(.invalidSignature): .invalidSignature
        case .refused(.wrongCurrency): .invalidAmount
        case .refused(.foreignMerchant): .orderNotFound
        case .refused(.malformed): .unknownError
        case .failedToRecord: .unknownError
        }
    }
}
