import AsyncHTTPClient
import Crypto
import Foundation

// The VNPay 2.1.0 payment gateway: the signed payment URL (vnp_Command=pay), and the verification and reading
// of the browser return and the IPN. Our own code (see VNPayQuery.swift for why, and for the signing rules).

/// vnp_Locale.
public enum VNPayLocale: String, Sendable, CaseIterable {
    case vietnamese = "vn"
    case english = "en"
}

/// An agency's VNPay settings: configuration, never code. `description` leaves the secret out.
public struct VNPayConfiguration: Sendable, CustomStringConvertible {
    /// The gateway's payment page, e.g. "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html".
    public let paymentURL: String
    /// vnp_TmnCode: the merchant's terminal code, 8 letters and digits.
    public let terminalCode: String
    /// vnp_ReturnUrl: where VNPay sends the payer's browser back (display only).
    public let returnURL: String
    /// vnp_OrderType: VNPay's category of goods; "other" unless VNPay assigned one.
    public let orderType: String
    /// vnp_Locale: the language of VNPay's pages.
    public let locale: VNPayLocale
    /// The merchant API that answers querydr, e.g. "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction";
    /// nil when the agency has none configured (status queries then fail as unreachable).
    public let queryURL: String?
    /// The secret's bytes (`SymmetricKey` is not `Sendable`; a key is made from these for each signature).
    private let secretBytes: [UInt8]
    var secret: SymmetricKey { SymmetricKey(data: secretBytes) }

    public init(paymentURL: String, terminalCode: String, hashSecret: String, returnURL: String,
                orderType: String = "other", locale: VNPayLocale = .vietnamese,
                queryURL: String? = nil) throws(PaymentRequestError) {
        guard Self.isHTTPURL(paymentURL), !paymentURL.contains("?") else {
            throw .invalidConfiguration("địa chỉ cổng VNPay phải là một địa chỉ http(s) không có tham số.")
        }
        if let queryURL {
            guard Self.isHTTPURL(queryURL), !queryURL.contains("?") else {
                throw .invalidConfiguration("địa chỉ tra cứu giao dịch VNPay (merchant_webapi) phải là một địa chỉ http(s) không có tham số.")
            }
        }
        guard terminalCode.utf8.count == 8, terminalCode.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw .invalidConfiguration("mã website (vnp_TmnCode) phải gồm 8 chữ cái hoặc chữ số.")
        }
        guard hashSecret.utf8.count >= 8 else {
            throw .invalidConfiguration("chuỗi bí mật (vnp_HashSecret) quá ngắn.")
        }
        guard Self.isHTTPURL(returnURL), returnURL.utf8.count <= 255,
              PaymentText.refusedCharacters(in: returnURL).allSatisfy({ Self.urlPunctuation.contains($0) }) else {
            throw .invalidConfiguration("địa chỉ trả về (vnp_ReturnUrl) phải là địa chỉ http(s) tới 255 ký tự, không có ký tự ~ * ! ( ) '.")
        }
        guard (1...100).contains(orderType.utf8.count),
              orderType.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }) else {
            throw .invalidConfiguration("loại hàng hóa (vnp_OrderType) không hợp lệ.")
        }
        self.paymentURL = paymentURL
        self.terminalCode = terminalCode
        self.returnURL = returnURL
        self.orderType = orderType
        self.locale = locale
        self.queryURL = queryURL
        self.secretBytes = Array(hashSecret.utf8)
    }

    public var description: String {
        "VNPayConfiguration(paymentURL: \(paymentURL), queryURL: \(queryURL ?? "none"), terminalCode: \(terminalCode), returnURL: \(returnURL), secret: <hidden>)"
    }

    /// What a return URL may hold besides letters, digits and `PaymentText.punctuation`: the characters of a
    /// URL that every escaping rule percent-encodes alike ("~*!()'" are not among them).
    private static let urlPunctuation: Set<Character> = ["?", "=", "&", "%", "+", "@", ";", "$", "[", "]"]

    private static func isHTTPURL(_ text: String) -> Bool {
        (text.hasPrefix("https://") || text.hasPrefix("http://")) && text.utf8.count > 8
            && !text.contains(where: { $0.isWhitespace || !$0.isASCII })
    }
}

/// What VNPay sent back for one payment (return or IPN), signature verified.
public struct VNPayResult: Sendable, Equatable {
    public var terminalCode: String
    /// vnp_TxnRef: our attempt's reference.
    public var reference: String
    /// vnp_Amount ÷ 100.
    public var amount: Money
    public var responseCode: VNPayResponseCode
    public var transactionStatus: VNPayTransactionStatus
    /// vnp_TransactionNo: VNPay's number for the transaction ("0" when none was made).
    public var transactionNo: String?
    public var bankCode: String?
    /// vnp_BankTranNo: the bank's number for it.
    public var bankTransactionNo: String?
    /// vnp_CardType: "ATM", "QRCODE", "VISA" …
    public var cardType: String?
    /// vnp_PayDate as Unix milliseconds.
    public var payDate: Int64?
    public var orderInfo: String

    /// Paid: both the payment's result and the transaction's state say success.
    public var isPaid: Bool { responseCode == .success && transactionStatus == .success }
}

/// VNPay 2.1.0 behind `PaymentGateway`.
public struct VNPayGateway: PaymentGateway {
    public let configuration: VNPayConfiguration
    /// Carries status queries (VNPayStatusQuery.swift); the process-wide shared client unless one is given.
    let client: HTTPClient
    /// How long a status query may take, connection included.
    let queryTimeout: Duration

    public init(configuration: VNPayConfiguration, client: HTTPClient = .shared, queryTimeout: Duration = .seconds(10)) {
        self.configuration = configuration
        self.client = client
        self.queryTimeout = queryTimeout
    }

    public var kind: PaymentGatewayKind { .vnpay }

    /// vnp_Amount is Numeric[1,12] in hundredths of a đồng: at most 9.999.999.999 đ.
    public static let maximumAmount = Money(dong: 9_999_999_999)

    // MARK: Payment URL

    /// The vnp_ parameters of a payment, unsigned (what the URL carries besides vnp_SecureHash).
    public func parameters(for request: PaymentRequest) throws(PaymentRequestError) -> [String: String] {
        guard request.amount.isPositive else { throw .invalidAmount(MoneyError.notPositive.message) }
        guard request.amount <= Self.maximumAmount else {
            throw .invalidAmount("Số tiền vượt quá mức cổng VNPay nhận cho một giao dịch (\(Self.maximumAmount.formatted)).")
        }
        guard (1...100).contains(request.reference.utf8.count),
              request.reference.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw .invalidReference
        }
        let orderInfo = PaymentText.foldToASCII(request.description)
        guard !orderInfo.isEmpty else { throw .invalidDescription("Thiếu nội dung thanh toán.") }
        guard orderInfo.utf8.count <= 255 else {
            throw .invalidDescription("Nội dung thanh toán dài quá 255 ký tự.")
        }
        let refused = PaymentText.refusedCharacters(in: orderInfo)
        guard refused.isEmpty else {
            throw .invalidDescription("Nội dung thanh toán có ký tự cổng thanh toán không nhận: \(refused.map { "\"\($0)\"" }.joined(separator: ", ")).")
        }
        guard (2...45).contains(request.payerIP.utf8.count),
              request.payerIP.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) else {
            throw .invalidPayerIP
        }
        guard request.createdAt < request.expiresAt else { throw .invalidTimes }
        var parameters = [
            "vnp_Version": "2.1.0",
            "vnp_Command": "pay",
            "vnp_TmnCode": configuration.terminalCode,
            "vnp_Amount": String(request.amount.dong * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": request.reference,
            "vnp_OrderInfo": orderInfo,
            "vnp_OrderType": configuration.orderType,
            "vnp_Locale": configuration.locale.rawValue,
            "vnp_ReturnUrl": configuration.returnURL,
            "vnp_IpAddr": request.payerIP,
            "vnp_CreateDate": VNPayTime.format(request.createdAt),
            "vnp_ExpireDate": VNPayTime.format(request.expiresAt),
        ]
        if let bankCode = request.bankCode {
            guard (3...20).contains(bankCode.utf8.count), bankCode.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw .invalidBankCode
            }
            parameters["vnp_BankCode"] = bankCode
        }
        return parameters
    }

    /// paymentURL?<sorted, encoded parameters>&vnp_SecureHash=<HMAC-SHA512 hex of the part before it>.
    public func paymentURL(for request: PaymentRequest) throws(PaymentRequestError) -> String {
        let canonical = VNPayQuery.canonical(try parameters(for: request))
        let signature = VNPayQuery.signature(of: canonical, secret: configuration.secret)
        return configuration.paymentURL + "?" + canonical + "&vnp_SecureHash=" + signature
    }

    // MARK: Return and IPN

    /// Verifies a return or IPN query and reads it into VNPay's own terms. The signature covers every vnp_
    /// parameter but vnp_SecureHash and vnp_SecureHashType, and is checked before any field is read.
    public func verify(query: String) throws(PaymentCallbackRefusal) -> VNPayResult {
        let all: [String: String]
        do {
            all = try VNPayQuery.decode(query.hasPrefix("?") ? String(query.dropFirst()) : query)
        } catch {
            throw .malformed("query")
        }
        var signed = all.filter { $0.key.hasPrefix("vnp_") }
        guard let signature = signed.removeValue(forKey: "vnp_SecureHash") else { throw .invalidSignature }
        signed.removeValue(forKey: "vnp_SecureHashType")
        let secret = configuration.secret
        guard VNPayQuery.isValid(signature: signature, of: VNPayQuery.canonical(signed), secret: secret)
                || (signed.values.contains("")
                    && VNPayQuery.isValid(signature: signature, of: VNPayQuery.canonical(signed, includingEmpty: true), secret: secret))
        else {
            throw .invalidSignature
        }

        func required(_ name: String) throws(PaymentCallbackRefusal) -> String {
            guard let value = signed[name], !value.isEmpty else { throw .malformed(name) }
            return value
        }
        func optional(_ name: String) -> String? { signed[name].flatMap { $0.isEmpty ? nil : $0 } }

        let terminal = try required("vnp_TmnCode")
        guard terminal == configuration.terminalCode else { throw .foreignMerchant }
        if let currency = optional("vnp_CurrCode"), currency != "VND" { throw .wrongCurrency }
        let amountText = try required("vnp_Amount")
        guard amountText.utf8.count <= 14, amountText.allSatisfy(\.isWholeNumberDigit),
              let hundredths = Int64(amountText), hundredths % 100 == 0, hundredths > 0 else {
            throw .malformed("vnp_Amount")
        }
        let payDate: Int64?
        if let text = optional("vnp_PayDate") {
            guard let parsed = VNPayTime.parse(text) else { throw .malformed("vnp_PayDate") }
            payDate = parsed
        } else {
            payDate = nil
        }
        return VNPayResult(
            terminalCode: terminal,
            reference: try required("vnp_TxnRef"),
            amount: Money(dong: hundredths / 100),
            responseCode: VNPayResponseCode(code: try required("vnp_ResponseCode")),
            // The return URL of old integrations may lack it; the response code alone then decides nothing.
            transactionStatus: VNPayTransactionStatus(code: optional("vnp_TransactionStatus") ?? ""),
            transactionNo: optional("vnp_TransactionNo"),
            bankCode: optional("vnp_BankCode"),
            bankTransactionNo: optional("vnp_BankTranNo"),
            cardType: optional("vnp_CardType"),
            payDate: payDate,
            orderInfo: optional("vnp_OrderInfo") ?? "")
    }

    public func readCallback(query: String) throws(PaymentCallbackRefusal) -> PaymentCallback {
        let result = try verify(query: query)
        let outcome: PaymentCallback.Outcome
        if result.isPaid {
            outcome = .paid
        } else if result.responseCode == .success || result.transactionStatus == .incomplete
                    || result.responseCode == .suspectedFraud {
            // Half a success, or money taken under suspicion: settle it by asking VNPay later, not here.
            outcome = .pending
        } else {
            outcome = .failed(result.responseCode.message)
        }
        let transaction = result.transactionNo.flatMap { $0 == "0" ? nil : $0 }
        return PaymentCallback(gateway: .vnpay, reference: result.reference, amount: result.amount, outcome: outcome,
                               gatewayTransaction: transaction, bankCode: result.bankCode, paidAt: result.payDate,
                               gatewayCode: result.responseCode.code + "/" + result.transactionStatus.code)
    }

    public func acknowledgement(for outcome: PaymentNotificationOutcome) -> PaymentAcknowledgement {
        PaymentAcknowledgement(contentType: "application/json", body: VNPayIPNAnswer(outcome).jsonBody)
    }
}

extension Character {
    /// "0"…"9" only.
    fileprivate var isWholeNumberDigit: Bool { ("0"..."9").contains(self) }
}
