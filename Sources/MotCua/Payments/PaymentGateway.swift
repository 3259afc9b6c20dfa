import HTTPTypes

// The seam between the portal's payment records and an online payment gateway.
//
// VNPay (VNPay/VNPayGateway.swift) is the first gateway; the national payment platform of the public service
// portal is meant to be the second. The store that records attempts and confirmations (issue 13) talks only
// to this protocol: it asks for the address to send the payer to, hands over what the gateway sent back, and
// gives the gateway's acknowledgement to whoever called. Everything a gateway signs, encodes or names its own
// way stays behind it. Our own code, like the gateways behind it: no Swift package available to this project
// speaks to a Vietnamese payment gateway, and this protocol is the part of the design that is ours anyway.

/// Which gateway an attempt went through; stored with the attempt.
public enum PaymentGatewayKind: String, Sendable, Codable, CaseIterable {
    case vnpay
    /// The national payment platform (Nền tảng thanh toán của Cổng Dịch vụ công quốc gia); not built yet.
    case nationalPlatform = "national-platform"

    public var label: String {
        switch self {
        case .vnpay: "VNPay"
        case .nationalPlatform: "Nền tảng thanh toán Cổng Dịch vụ công quốc gia"
        }
    }
}

/// One payment attempt as the portal asks a gateway to take it.
public struct PaymentRequest: Sendable, Equatable {
    /// The attempt's reference, unique per attempt (never reused for a retry): the gateway's order id.
    public var reference: String
    public var amount: Money
    /// What is paid for, e.g. "Le phi thi tuyen cong chuc ho so 000.00.12.H13-241206-0001"; Vietnamese is
    /// folded to ASCII by gateways that need it.
    public var description: String
    /// The payer's IP address, as the gateway's risk checks want it.
    public var payerIP: String
    /// Unix milliseconds.
    public var createdAt: Int64
    /// Unix milliseconds; after this the gateway refuses to take the payment.
    public var expiresAt: Int64
    /// A bank or method the payer chose on our page, if any (VNPay's `vnp_BankCode`: "VNBANK", "INTCARD",
    /// "VNPAYQR", a bank's code); nil lets the gateway ask.
    public var bankCode: String?

    public init(reference: String, amount: Money, description: String, payerIP: String, createdAt: Int64,
                expiresAt: Int64, bankCode: String? = nil) {
        self.reference = reference
        self.amount = amount
        self.description = description
        self.payerIP = payerIP
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.bankCode = bankCode
    }
}

/// What a gateway said about one attempt, after its signature was checked. Both the browser return (shown,
/// never trusted to change anything) and the server-to-server notification read into this.
public struct PaymentCallback: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Money was taken.
        case paid
        /// Not paid (cancelled, declined, expired); the message is Vietnamese, for the payer.
        case failed(String)
        /// The gateway has not settled it yet; ask again later.
        case pending
    }

    public var gateway: PaymentGatewayKind
    public var reference: String
    public var amount: Money
    public var outcome: Outcome
    /// The gateway's own transaction number, for reconciliation and refunds.
    public var gatewayTransaction: String?
    public var bankCode: String?
    /// Unix milliseconds, when the gateway says the money was taken.
    public var paidAt: Int64?
    /// The gateway's result code as sent, kept with the record.
    public var gatewayCode: String

    public init(gateway: PaymentGatewayKind, reference: String, amount: Money, outcome: Outcome,
                gatewayTransaction: String?, bankCode: String?, paidAt: Int64?, gatewayCode: String) {
        self.gateway = gateway
        self.reference = reference
        self.amount = amount
        self.outcome = outcome
        self.gatewayTransaction = gatewayTransaction
        self.bankCode = bankCode
        self.paidAt = paidAt
        self.gatewayCode = gatewayCode
    }
}

/// Why a callback was not believed. Nothing may change on any of these.
public enum PaymentCallbackRefusal: Error, Equatable, Sendable {
    /// No signature, or one that does not match the parameters with our secret.
    case invalidSignature
    /// Signed, but for another merchant's terminal.
    case foreignMerchant
    /// Signed, but in a currency other than đồng.
    case wrongCurrency
    /// A required parameter is missing or unreadable (its name), or the query itself is broken.
    case malformed(String)

    /// For the browser return page; the notification answers with the protocol's code instead.
    public var message: String {
        switch self {
        case .invalidSignature, .foreignMerchant:
            "Không xác thực được kết quả thanh toán trả về. Trạng thái hồ sơ sẽ được cập nhật khi cổng thanh toán xác nhận."
        case .wrongCurrency:
            "Kết quả thanh toán trả về không đúng loại tiền (đồng Việt Nam)."
        case .malformed:
            "Kết quả thanh toán trả về không đầy đủ hoặc không đọc được."
        }
    }
}

/// How the portal handled a server-to-server notification; each gateway turns it into its own answer.
public enum PaymentNotificationOutcome: Sendable, Equatable {
    /// Recorded (as paid or as failed, whatever the gateway said).
    case recorded
    /// No attempt with that reference.
    case orderNotFound
    /// The attempt was already settled by an earlier notification: nothing changed.
    case alreadyConfirmed
    /// The amount differs from the attempt's: nothing changed.
    case invalidAmount
    /// The callback was refused before any lookup.
    case refused(PaymentCallbackRefusal)
    /// Our failure (the database, say): the gateway should try again later.
    case failedToRecord
}

/// The HTTP answer a gateway expects to its notification (always status 200 for VNPay).
public struct PaymentAcknowledgement: Sendable, Equatable {
    public var contentType: String
    public var body: String
}

/// An online payment gateway: builds the address that takes the payer to it, reads and verifies what it
/// sends back, and says what to answer its notifications.
public protocol PaymentGateway: Sendable {
    var kind: PaymentGatewayKind { get }

    /// The signed address to send the payer's browser to.
    func paymentURL(for request: PaymentRequest) throws(PaymentRequestError) -> String

    /// Verifies the signature of a return or notification query (the raw query string, without "?") and
    /// reads it; nothing in it is believed before this.
    func readCallback(query: String) throws(PaymentCallbackRefusal) -> PaymentCallback

    /// The body to answer a notification with, for an outcome.
    func acknowledgement(for outcome: PaymentNotificationOutcome) -> PaymentAcknowledgement

    /// Asks the gateway itself for the state of an attempt whose notification has not come, at `now` (Unix
    /// milliseconds). The answer is verified like a callback before it is read. Throws `PaymentQueryError`
    /// (untyped: typed throws in async functions crash the compiler we build with).
    func queryStatus(_ query: PaymentStatusQuery, at now: Int64) async throws -> PaymentCallback
}

/// What the portal asks a gateway about one attempt whose notification has not come.
public struct PaymentStatusQuery: Sendable, Equatable {
    /// The attempt's reference (VNPay's vnp_TxnRef).
    public var reference: String
    /// Unix milliseconds the attempt was created (VNPay's vnp_CreateDate of the payment).
    public var createdAt: Int64
    /// Order info; folded to ASCII like the payment's.
    public var description: String
    /// The server's IP address, as the gateway wants it.
    public var requestIP: String

    public init(reference: String, createdAt: Int64, description: String, requestIP: String) {
        self.reference = reference
        self.createdAt = createdAt
        self.description = description
        self.requestIP = requestIP
    }

    /// The query for an attempt made with `request`, asked from the server at `serverIP`.
    public init(_ request: PaymentRequest, serverIP: String) {
        self.init(reference: request.reference, createdAt: request.createdAt, description: request.description,
                  requestIP: serverIP)
    }
}

/// Why a status query gave no answer to believe. Nothing may change on any of these; ask again later.
public enum PaymentQueryError: Error, Equatable, Sendable {
    /// No query address configured, no connection, a timeout, or an HTTP status other than 2xx (what happened).
    case unreachable(String)
    /// The answer's signature is missing or does not match it with our secret.
    case invalidSignature
    /// The question could not be asked as given, or the signed answer is unreadable or about another
    /// terminal or attempt (the field's name).
    case malformed(String)
    /// The gateway refused the question (its code and message as sent, e.g. "94": a duplicate request).
    case refused(code: String, message: String)

    /// For staff; the details go to the log.
    public var message: String {
        switch self {
        case .unreachable: "Không kết nối được cổng thanh toán để tra cứu giao dịch. Vui lòng thử lại sau."
        case .invalidSignature: "Không xác thực được kết quả tra cứu giao dịch từ cổng thanh toán."
        case .malformed: "Kết quả tra cứu giao dịch từ cổng thanh toán không đầy đủ hoặc không khớp với giao dịch đã hỏi."
        case .refused: "Cổng thanh toán từ chối yêu cầu tra cứu giao dịch. Vui lòng thử lại sau."
        }
    }
}

/// Why a payment request (or a gateway's configuration) was refused before anything was sent.
public enum PaymentRequestError: PortalErrorConvertible, Equatable, Sendable {
    case invalidAmount(String)
    case invalidReference
    case invalidDescription(String)
    case invalidPayerIP
    case invalidTimes
    case invalidBankCode
    /// The agency's gateway settings are wrong (an administrator's matter, not the payer's).
    case invalidConfiguration(String)

    public var message: String {
        switch self {
        case .invalidAmount(let message): message
        case .invalidReference: "Mã giao dịch thanh toán không hợp lệ."
        case .invalidDescription(let message): message
        case .invalidPayerIP: "Không xác định được địa chỉ IP của người nộp."
        case .invalidTimes: "Thời hạn thanh toán không hợp lệ."
        case .invalidBankCode: "Mã ngân hàng hoặc phương thức thanh toán không hợp lệ."
        case .invalidConfiguration(let message): "Cấu hình cổng thanh toán chưa đúng: \(message)"
        }
    }

    public var portalError: PortalError {
        switch self {
        case .invalidConfiguration:
            PortalError(status: .serviceUnavailable,
                        message: "Thanh toán trực tuyến tạm thời chưa sẵn sàng. Vui lòng thử lại sau hoặc chọn chuyển khoản.")
        default:
            PortalError(status: .unprocessableContent, message: message)
        }
    }
}
