import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

// VNPay 2.1.0 transaction query (vnp_Command=querydr): when the IPN of an attempt never came, the portal asks
// VNPay's merchant API for the attempt's state. Our own code, like the rest of VNPay (see VNPayQuery.swift for
// why no package fits): one JSON POST and one JSON answer, each signed with HMAC-SHA512 over its fields joined
// by "|" in a fixed order, not over a query string.
//
// The orders of the signed fields follow VNPay's sandbox documentation (the querydr page under
// sandbox.vnpayment.vn/apis/docs/, "Truy vấn kết quả thanh toán"), as its Java sample code and the open-source
// clients we read (lehuygiang28/vnpay for Node, several Java, .NET and Go integrations) all write them; we
// found no source that disagrees:
//   request:  RequestId|Version|Command|TmnCode|TxnRef|TransactionDate|CreateDate|IpAddr|OrderInfo
//   response: ResponseId|Command|ResponseCode|Message|TmnCode|TxnRef|Amount|BankCode|PayDate|TransactionNo|
//             TransactionType|TransactionStatus|OrderInfo|PromotionCode|PromotionAmount
// A field the answer leaves out is an empty string in the signed data, as in those clients. The values are
// signed as they are, not form-encoded. VNPay's answer may send vnp_Amount as a JSON number or a string; both
// are read as the digits they are.
//
// What the answer means: vnp_ResponseCode is the answer to the question ("00" answered, "91" no such
// transaction, "94" a duplicate request, "97" bad checksum, "99" other); only with "00" does
// vnp_TransactionStatus say what became of the payment.

extension VNPayGateway {
    /// The fields of the querydr request, signed, as the JSON body carries them. `requestID` must be unique per
    /// request (VNPay refuses a repeat within the day with "94"), 1 to 32 letters and digits.
    public func statusQueryFields(for query: PaymentStatusQuery, at now: Int64,
                                  requestID: String) throws(PaymentQueryError) -> [String: String] {
        guard (1...32).contains(requestID.utf8.count), requestID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw .malformed("vnp_RequestId")
        }
        guard (1...100).contains(query.reference.utf8.count),
              query.reference.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw .malformed("vnp_TxnRef")
        }
        let orderInfo = PaymentText.foldToASCII(query.description)
        guard (1...255).contains(orderInfo.utf8.count), PaymentText.refusedCharacters(in: orderInfo).isEmpty else {
            throw .malformed("vnp_OrderInfo")
        }
        guard (2...45).contains(query.requestIP.utf8.count),
              query.requestIP.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) else {
            throw .malformed("vnp_IpAddr")
        }
        var fields = [
            "vnp_RequestId": requestID,
            "vnp_Version": "2.1.0",
            "vnp_Command": "querydr",
            "vnp_TmnCode": configuration.terminalCode,
            "vnp_TxnRef": query.reference,
            "vnp_OrderInfo": orderInfo,
            "vnp_TransactionDate": VNPayTime.format(query.createdAt),
            "vnp_CreateDate": VNPayTime.format(now),
            "vnp_IpAddr": query.requestIP,
        ]
        fields["vnp_SecureHash"] = VNPayQuery.signature(of: Self.joined(Self.requestSignedFields, of: fields),
                                                        secret: configuration.secret)
        return fields
    }

    public func queryStatus(_ query: PaymentStatusQuery, at now: Int64) async throws -> PaymentCallback {
        guard let url = configuration.queryURL else {
            throw PaymentQueryError.unreachable("no VNPay query URL configured")
        }
        // 32 hex digits: unique without any state of ours.
        let requestID = UUID().uuidString.filter { $0 != "-" }
        let fields = try statusQueryFields(for: query, at: now, requestID: requestID)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "Accept", value: "application/json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        request.body = .bytes(ByteBuffer(bytes: try encoder.encode(fields)))

        let body: ByteBuffer
        do {
            let response = try await client.execute(request, timeout: .milliseconds(queryTimeout.milliseconds))
            body = try await response.body.collect(upTo: 64 * 1024)
            guard (200..<300).contains(Int(response.status.code)) else {
                throw PaymentQueryError.unreachable("VNPay answered HTTP \(response.status.code)")
            }
        } catch let error as PaymentQueryError {
            throw error
        } catch {
            throw PaymentQueryError.unreachable(String(describing: error))
        }
        return try readStatusAnswer(Data(body.readableBytesView), for: query)
    }

    /// Verifies and reads a querydr answer about `query`.
    public func readStatusAnswer(_ body: Data, for query: PaymentStatusQuery) throws(PaymentQueryError) -> PaymentCallback {
        let answer: [String: String]
        do {
            answer = try JSONDecoder().decode([String: VNPayAnswerValue].self, from: body).mapValues(\.text)
        } catch {
            throw .malformed("body")
        }
        guard let signature = answer["vnp_SecureHash"], !signature.isEmpty,
              VNPayQuery.isValid(signature: signature, of: Self.joined(Self.responseSignedFields, of: answer),
                                 secret: configuration.secret)
        else {
            throw .invalidSignature
        }
        func value(_ name: String) -> String { answer[name] ?? "" }

        guard value("vnp_Command").isEmpty || value("vnp_Command") == "querydr" else { throw .malformed("vnp_Command") }
        let responseCode = value("vnp_ResponseCode")
        guard responseCode == "00" || responseCode == "91" else {
            throw .refused(code: responseCode, message: value("vnp_Message"))
        }
        guard value("vnp_TmnCode") == configuration.terminalCode else { throw .malformed("vnp_TmnCode") }
        // "Not found" may come without the reference echoed; anything else must be about the attempt asked for.
        guard value("vnp_TxnRef") == query.reference || (responseCode == "91" && value("vnp_TxnRef").isEmpty) else {
            throw .malformed("vnp_TxnRef")
        }

        let amountText = value("vnp_Amount")
        let amount: Money
        if amountText.isEmpty && responseCode == "91" {
            amount = .zero
        } else {
            guard amountText.utf8.count <= 14, amountText.allSatisfy({ ("0"..."9").contains($0) }),
                  let hundredths = Int64(amountText), hundredths % 100 == 0 else {
                throw .malformed("vnp_Amount")
            }
            amount = Money(dong: hundredths / 100)
        }
        let payDate: Int64?
        if value("vnp_PayDate").isEmpty {
            payDate = nil
        } else {
            guard let parsed = VNPayTime.parse(value("vnp_PayDate")) else { throw .malformed("vnp_PayDate") }
            payDate = parsed
        }
        let transaction = value("vnp_TransactionNo")
        let bank = value("vnp_BankCode")

        if responseCode == "91" {
            return PaymentCallback(gateway: .vnpay, reference: query.reference, amount: amount,
                                   outcome: .failed("Không tìm thấy giao dịch tại cổng thanh toán."),
                                   gatewayTransaction: nil, bankCode: nil, paidAt: nil, gatewayCode: "91")
        }
        let status = VNPayTransactionStatus(code: value("vnp_TransactionStatus"))
        let outcome: PaymentCallback.Outcome = switch status {
        case .success: .paid
        // Not finished yet; or money taken under suspicion, which readCallback also leaves to reconciliation.
        case .incomplete, .suspectedFraud: .pending
        default: .failed(status.message)
        }
        return PaymentCallback(gateway: .vnpay, reference: query.reference, amount: amount, outcome: outcome,
                               gatewayTransaction: transaction.isEmpty || transaction == "0" ? nil : transaction,
                               bankCode: bank.isEmpty ? nil : bank, paidAt: payDate,
                               gatewayCode: responseCode + "/" + status.code)
    }

    static let requestSignedFields = [
        "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate",
        "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo",
    ]

    static let responseSignedFields = [
        "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
        "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
        "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount",
    ]

    /// The signed data: the named fields' values in order, "|" between, a missing field as "".
    static func joined(_ names: [String], of fields: [String: String]) -> String {
        names.map { fields[$0] ?? "" }.joined(separator: "|")
    }
}

/// One value of VNPay's JSON answer as the text that was signed: a string as it is, a whole number in its
/// digits, null as "". Anything else (a fraction, an object) makes the answer unreadable.
private struct VNPayAnswerValue: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            text = ""
        } else if let string = try? container.decode(String.self) {
            text = string
        } else {
            text = String(try container.decode(Int64.self))
        }
    }
}
