import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

@testable import MotCua

/// VNPay's side of the 2.1.0 protocol, for tests: it takes the payment URLs the portal builds (checking their
/// signature), remembers the orders, writes the signed return/IPN query VNPay would send for an outcome (or a
/// tampered one), and answers querydr over real HTTP from what it remembers.
///
/// Its encoding and signing are written apart from the product's (Foundation's percent-encoding and
/// swift-crypto's HMAC directly, never `VNPayQuery`), so a mistake in the product's cannot hide in both.
///
///     let vnpay = VNPaySimulator(terminalCode: "MOTCUA01", secret: "…")
///     try vnpay.receive(paymentURL: url)                            // the payer reached VNPay
///     let ipn = try vnpay.callbackQuery(for: reference, outcome: .success)
///     try await vnpay.serve { queryURL in … VNPayConfiguration(…, queryURL: queryURL) … }
final class VNPaySimulator: Sendable {
    /// What the payer did at VNPay.
    enum Outcome: Sendable, Equatable {
        case success    // 00 / 00
        case cancelled  // 24 / 02
        case declined   // 51 / 02 (insufficient funds)
    }

    /// Ways to spoil a callback query.
    struct Tampering: Sendable, Equatable {
        /// vnp_Amount of another sum (signed correctly: VNPay's word, our record's disagreement).
        var amount: Money?
        /// A signature that does not match.
        var badSignature = false
        /// vnp_TmnCode of another merchant (signed correctly).
        var terminalCode: String?
        /// vnp_CurrCode, which VNPay's callbacks do not normally carry (signed correctly).
        var currency: String?

        static let none = Tampering()
    }

    /// Where an order stands at VNPay.
    enum State: Sendable, Equatable {
        /// The payer reached VNPay's page and has not finished (querydr: transaction status 01).
        case awaitingPayer
        case settled(Outcome)
    }

    struct Order: Sendable, Equatable {
        var reference: String
        var amount: Money
        /// vnp_CreateDate as the URL carried it (yyyyMMddHHmmss, GMT+7).
        var createDate: String
        var expireDate: String
        var orderInfo: String
        var returnURL: String
        var payerIP: String
        var state: State
        /// VNPay's number for the transaction.
        var transactionNo: String
    }

    /// How to spoil querydr answers, until cleared.
    enum QueryFault: Sendable, Equatable {
        /// Signed with another secret.
        case badSignature
        /// About another attempt (signed correctly).
        case otherReference(String)
        /// From another terminal (signed correctly).
        case otherTerminal(String)
        /// Another vnp_ResponseCode, e.g. "94" (duplicate request) or "99" (signed correctly).
        case responseCode(String, message: String)
    }

    /// One querydr request as it arrived.
    struct ReceivedQuery: Sendable, Equatable {
        var fields: [String: String]
        /// Whether its vnp_SecureHash matched, by the simulator's own computation.
        var signatureValid: Bool
    }

    enum Refusal: Error, Equatable {
        case notAPaymentURL
        case invalidSignature
        case missing(String)
        case foreignTerminal
        case unknownOrder(String)
    }

    static let queryPath = "/merchant_webapi/api/transaction"

    let terminalCode: String
    private let secret: [UInt8]

    private struct Books {
        var orders: [String: Order] = [:]
        var queries: [ReceivedQuery] = []
        var requestIDs: Set<String> = []
        var fault: QueryFault?
        var nextTransaction = 14_812_345
    }
    private let books = Mutex(Books())

    init(terminalCode: String, secret: String) {
        self.terminalCode = terminalCode
        self.secret = Array(secret.utf8)
    }

    // MARK: Payment URL

    /// Reads a payment URL as VNPay's page would: every vnp_ parameter, the signature over them checked, the
    /// terminal ours. The order is remembered as awaiting the payer.
    @discardableResult
    func receive(paymentURL: String) throws(Refusal) -> Order {
        guard let query = paymentURL.split(separator: "?", maxSplits: 1).dropFirst().first else { throw .notAPaymentURL }
        var parameters: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let name = Self.formDecode(parts[0]), let value = Self.formDecode(parts[1]) else {
                throw .notAPaymentURL
            }
            parameters[name] = value
        }
        guard let signature = parameters.removeValue(forKey: "vnp_SecureHash") else { throw .invalidSignature }
        parameters.removeValue(forKey: "vnp_SecureHashType")
        guard signature.lowercased() == sign(Self.formEncoded(parameters)) else { throw .invalidSignature }
        func required(_ name: String) throws(Refusal) -> String {
            guard let value = parameters[name], !value.isEmpty else { throw .missing(name) }
            return value
        }
        guard try required("vnp_TmnCode") == terminalCode else { throw .foreignTerminal }
        guard try required("vnp_Command") == "pay", try required("vnp_Version") == "2.1.0",
              try required("vnp_CurrCode") == "VND" else {
            throw .notAPaymentURL
        }
        guard let hundredths = Int64(try required("vnp_Amount")) else { throw .missing("vnp_Amount") }
        let reference = try required("vnp_TxnRef")
        var order = Order(reference: reference, amount: Money(dong: hundredths / 100),
                          createDate: try required("vnp_CreateDate"), expireDate: try required("vnp_ExpireDate"),
                          orderInfo: try required("vnp_OrderInfo"), returnURL: try required("vnp_ReturnUrl"),
                          payerIP: try required("vnp_IpAddr"), state: .awaitingPayer, transactionNo: "")
        books.withLock { books in
            order.transactionNo = String(books.nextTransaction)
            books.nextTransaction += 1
            books.orders[reference] = order
        }
        return order
    }

    func order(_ reference: String) -> Order? { books.withLock { $0.orders[reference] } }

    /// Settles an order without sending anything: the IPN that never came.
    func settle(_ reference: String, as outcome: Outcome) throws(Refusal) {
        let found = books.withLock { books in
            guard books.orders[reference] != nil else { return false }
            books.orders[reference]?.state = .settled(outcome)
            return true
        }
        guard found else { throw .unknownOrder(reference) }
    }

    // MARK: Return and IPN

    /// The query string (without "?") VNPay sends to the return URL and the IPN for `outcome`, which also
    /// settles the order. The order's own amount is remembered whatever `tampering` says.
    func callbackQuery(for reference: String, outcome: Outcome, tampering: Tampering = .none) throws(Refusal) -> String {
        try settle(reference, as: outcome)
        guard let order = order(reference) else { throw .unknownOrder(reference) }
        let (responseCode, transactionStatus) = Self.codes(outcome)
        var parameters = [
            "vnp_Amount": String((tampering.amount ?? order.amount).dong * 100),
            "vnp_BankCode": "NCB",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": order.orderInfo,
            "vnp_PayDate": Self.payDate(after: order.createDate),
            "vnp_ResponseCode": responseCode,
            "vnp_TmnCode": tampering.terminalCode ?? terminalCode,
            // VNPay numbers a transaction only when the bank took part; "0" when the payer cancelled at its page.
            "vnp_TransactionNo": outcome == .cancelled ? "0" : order.transactionNo,
            "vnp_TransactionStatus": transactionStatus,
            "vnp_TxnRef": order.reference,
        ]
        if outcome != .cancelled { parameters["vnp_BankTranNo"] = "VNP" + order.transactionNo }
        if let currency = tampering.currency { parameters["vnp_CurrCode"] = currency }
        let canonical = Self.formEncoded(parameters)
        var signature = sign(canonical)
        if tampering.badSignature { signature = String(signature.reversed()) }
        return canonical + "&vnp_SecureHashType=HmacSHA512&vnp_SecureHash=" + signature
    }

    // MARK: querydr

    /// Spoils every querydr answer from now on (nil: answer properly again).
    func answerQueries(with fault: QueryFault?) { books.withLock { $0.fault = fault } }

    var receivedQueries: [ReceivedQuery] { books.withLock { $0.queries } }

    /// The JSON fields VNPay's merchant API answers a querydr body with, signed.
    func queryAnswer(to body: Data) -> [String: String] {
        let responseID = UUID().uuidString.lowercased().filter { $0 != "-" }
        var answer = ["vnp_ResponseId": responseID, "vnp_Command": "querydr", "vnp_TmnCode": terminalCode]
        func refuse(_ code: String, _ message: String) -> [String: String] {
            answer["vnp_ResponseCode"] = code
            answer["vnp_Message"] = message
            return finish(answer)
        }
        guard let fields = try? JSONDecoder().decode([String: String].self, from: body) else {
            return refuse("03", "Invalid data format")
        }
        let signed = Self.requestFields.map { fields[$0] ?? "" }.joined(separator: "|")
        let valid = fields["vnp_SecureHash"]?.lowercased() == sign(signed)
        let (order, duplicate) = books.withLock { books in
            books.queries.append(ReceivedQuery(fields: fields, signatureValid: valid))
            let requestID = fields["vnp_RequestId"] ?? ""
            let duplicate = !books.requestIDs.insert(requestID).inserted
            return (books.orders[fields["vnp_TxnRef"] ?? ""], duplicate)
        }
        answer["vnp_TxnRef"] = fields["vnp_TxnRef"] ?? ""
        guard valid else { return refuse("97", "Invalid Checksum") }
        guard fields["vnp_TmnCode"] == terminalCode else { return refuse("02", "Merchant is not valid") }
        guard fields["vnp_Command"] == "querydr", fields["vnp_Version"] == "2.1.0",
              let requestID = fields["vnp_RequestId"], (1...32).contains(requestID.count) else {
            return refuse("03", "Invalid data format")
        }
        guard !duplicate else { return refuse("94", "Request is duplicate") }
        // VNPay finds a transaction by its reference and the day it was made.
        guard let order, fields["vnp_TransactionDate"] == order.createDate else {
            return refuse("91", "Transaction not found")
        }
        answer["vnp_ResponseCode"] = "00"
        answer["vnp_Message"] = "QueryDR Success"
        answer["vnp_Amount"] = String(order.amount.dong * 100)
        answer["vnp_OrderInfo"] = order.orderInfo
        answer["vnp_TransactionType"] = "01"
        answer["vnp_PromotionCode"] = ""
        answer["vnp_PromotionAmount"] = ""
        switch order.state {
        case .awaitingPayer:
            answer["vnp_TransactionStatus"] = "01"
            answer["vnp_TransactionNo"] = "0"
        case .settled(let outcome):
            answer["vnp_TransactionStatus"] = Self.codes(outcome).transactionStatus
            answer["vnp_TransactionNo"] = outcome == .cancelled ? "0" : order.transactionNo
            if outcome != .cancelled {
                answer["vnp_BankCode"] = "NCB"
                answer["vnp_PayDate"] = Self.payDate(after: order.createDate)
            }
        }
        return finish(answer)
    }

    /// Applies the fault, if any, and signs.
    private func finish(_ answer: [String: String]) -> [String: String] {
        var answer = answer
        let fault = books.withLock { $0.fault }
        switch fault {
        case .otherReference(let reference): answer["vnp_TxnRef"] = reference
        case .otherTerminal(let terminal): answer["vnp_TmnCode"] = terminal
        case .responseCode(let code, let message):
            answer["vnp_ResponseCode"] = code
            answer["vnp_Message"] = message
        case .badSignature, nil: break
        }
        let signed = Self.responseFields.map { answer[$0] ?? "" }.joined(separator: "|")
        answer["vnp_SecureHash"] = fault == .badSignature ? sign(signed, key: Array("not-the-secret".utf8)) : sign(signed)
        return answer
    }

    /// Serves querydr at http://127.0.0.1:<port>/merchant_webapi/api/transaction while `body` runs with that
    /// address (the port is one the system picks). The server stops when `body` returns.
    func serve<T: Sendable>(_ body: @escaping @Sendable (_ queryURL: String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("merchant_webapi/api/transaction") { [self] request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 64 * 1024)
            let answer = queryAnswer(to: Data(bytes.readableBytesView))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(answer))))
        }
        var logger = Logger(label: "vnpay.simulator.test")
        logger.logLevel = .critical
        let (started, running) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in running.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { running.finish() }
                try await app.runService(gracefulShutdownSignals: [])
            }
            var bound: Int?
            for await listening in started {
                bound = listening
                break
            }
            guard let bound else {
                try await group.next()
                throw NotStarted()
            }
            defer { group.cancelAll() }
            return try await body("http://127.0.0.1:\(bound)\(Self.queryPath)")
        }
    }

    struct NotStarted: Error {}

    // MARK: The simulator's own protocol code

    static let requestFields = [
        "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate",
        "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo",
    ]
    static let responseFields = [
        "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
        "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
        "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount",
    ]

    private static func codes(_ outcome: Outcome) -> (responseCode: String, transactionStatus: String) {
        switch outcome {
        case .success: ("00", "00")
        case .cancelled: ("24", "02")
        case .declined: ("51", "02")
        }
    }

    private func sign(_ text: String, key: [UInt8]? = nil) -> String {
        let code = HMAC<SHA512>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: key ?? secret))
        return code.map { String(format: "%02x", $0) }.joined()
    }

    /// PHP's urlencode through Foundation: unreserved ASCII letters, digits and "-_." kept, the space "+".
    private static let kept = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")

    private static func formEncoded(_ parameters: [String: String]) -> String {
        func encode(_ text: String) -> String {
            (text.addingPercentEncoding(withAllowedCharacters: kept) ?? "").replacingOccurrences(of: "%20", with: "+")
        }
        return parameters.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
            .map { encode($0.key) + "=" + encode($0.value) }.joined(separator: "&")
    }

    private static func formDecode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// Three minutes after `createDate`, in the same form.
    private static func payDate(after createDate: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        formatter.dateFormat = "yyyyMMddHHmmss"
        guard let date = formatter.date(from: createDate) else { return createDate }
        return formatter.string(from: date.addingTimeInterval(180))
    }
}
