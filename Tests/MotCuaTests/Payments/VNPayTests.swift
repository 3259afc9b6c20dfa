import Foundation
import HTTPTypes
import Testing

@testable import MotCua

@Suite("Payments: VNPay 2.1.0 protocol", .enabled(if: PaymentPython.available, "python3 is missing"))
struct PaymentVNPayTests {
    static let secret = "QJ7ZK1M9XWTB4RNC2HDE6YPA3SVF8LGU"
    static let terminal = "MOTCUA01"
    static let base = "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
    static let returnURL = "https://dichvucong.cantho.gov.vn/thanh-toan/vnpay/ket-qua?co-quan=000.00.12.H13&lan=1"
    static let dossierCode = "000.00.12.H13-261206-0001"
    /// 2026-12-06 10:15:30 in Vietnam (03:15:30 UTC), and 15 minutes later.
    static let created: Int64 = 1_796_526_930_000
    static let expires: Int64 = created + 15 * 60 * 1000

    static func gateway(secret: String = secret) throws -> VNPayGateway {
        VNPayGateway(configuration: try VNPayConfiguration(paymentURL: base, terminalCode: terminal, hashSecret: secret,
                                                           returnURL: returnURL))
    }

    /// Cần Thơ's exam fee, 100.000 đ, for one dossier: the first attempt.
    static let examFee = PaymentRequest(
        reference: dossierCode + "-1", amount: Money(dong: 100_000),
        description: "Lệ phí thi tuyển công chức, hồ sơ \(dossierCode)", payerIP: "203.162.71.6",
        createdAt: created, expiresAt: expires)

    /// What VNPay sends back for that attempt when it was paid (the sandbox's NCB test card).
    static let paidParameters: [String: String] = [
        "vnp_Amount": "10000000", "vnp_BankCode": "NCB", "vnp_BankTranNo": "VNP14812345", "vnp_CardType": "ATM",
        "vnp_OrderInfo": "Le phi thi tuyen cong chuc, ho so \(dossierCode)", "vnp_PayDate": "20261206101845",
        "vnp_ResponseCode": "00", "vnp_TmnCode": terminal, "vnp_TransactionNo": "14812345",
        "vnp_TransactionStatus": "00", "vnp_TxnRef": dossierCode + "-1",
    ]

    static func signedByPython(_ parameters: [String: String], secret: String = secret, signEmpty: Bool = false) throws -> String {
        try PaymentPython.run(PaymentPython.vnpaySignedQuery, ["params": parameters, "secret": secret, "signEmpty": signEmpty])
    }

    @Test("The payment URL for Cần Thơ's 100.000 đ exam fee is exactly the one Python builds from the documentation")
    func paymentURLMatchesPython() throws {
        let ours = try Self.gateway().paymentURL(for: Self.examFee)
        let python = try PaymentPython.run(PaymentPython.vnpayPaymentURL, [
            "secret": Self.secret, "base": Self.base, "tmn": Self.terminal, "returnUrl": Self.returnURL,
            "amount": 100_000, "ref": Self.examFee.reference, "info": Self.examFee.description, "ip": Self.examFee.payerIP,
            "created": Self.created, "expires": Self.expires,
        ])
        #expect(ours == python)
        // The parts the protocol fixes, read back from the URL.
        let query = try #require(ours.split(separator: "?", maxSplits: 1).last)
        let fields = Dictionary(uniqueKeysWithValues: query.split(separator: "&").map {
            let pair = $0.split(separator: "=", maxSplits: 1)
            return (String(pair[0]), String(pair[1]))
        })
        #expect(fields["vnp_Amount"] == "10000000")
        #expect(fields["vnp_Version"] == "2.1.0" && fields["vnp_Command"] == "pay" && fields["vnp_CurrCode"] == "VND")
        #expect(fields["vnp_CreateDate"] == "20261206101530" && fields["vnp_ExpireDate"] == "20261206103030")
        #expect(fields["vnp_OrderInfo"] == "Le+phi+thi+tuyen+cong+chuc%2C+ho+so+000.00.12.H13-261206-0001")
        #expect(fields["vnp_ReturnUrl"] == "https%3A%2F%2Fdichvucong.cantho.gov.vn%2Fthanh-toan%2Fvnpay%2Fket-qua%3Fco-quan%3D000.00.12.H13%26lan%3D1")
        #expect(fields["vnp_SecureHash"]?.count == 128)
        #expect(query.split(separator: "&").map { $0.split(separator: "=")[0] }.last == "vnp_SecureHash")
        #expect(fields["vnp_SecureHashType"] == nil)
    }

    @Test("A bank code chosen on our page is signed too; the URL still verifies with Python")
    func bankCodeSigned() throws {
        var request = Self.examFee
        request.bankCode = "VNBANK"
        let url = try Self.gateway().paymentURL(for: request)
        #expect(url.contains("&vnp_BankCode=VNBANK&"))
        // Python checks our signature over the query as it stands.
        let check = #"""
        import sys, json, hmac, hashlib
        p = json.loads(sys.argv[1])
        q, sig = p['url'].split('?', 1)[1].rsplit('&vnp_SecureHash=', 1)
        print(hmac.compare_digest(hmac.new(p['secret'].encode(), q.encode(), hashlib.sha512).hexdigest(), sig))
        """#
        #expect(try PaymentPython.run(check, ["url": url, "secret": Self.secret]) == "True")
    }

    @Test("A return signed as VNPay signs it verifies and reads into the typed result")
    func verifiesReturn() throws {
        let query = try Self.signedByPython(Self.paidParameters)
        let result = try Self.gateway().verify(query: query)
        let payDate = try PaymentPython.run(PaymentPython.vnpayStampToMilliseconds, ["stamp": "20261206101845"])
        #expect(result == VNPayResult(
            terminalCode: Self.terminal, reference: "000.00.12.H13-261206-0001-1", amount: Money(dong: 100_000),
            responseCode: .success, transactionStatus: .success, transactionNo: "14812345", bankCode: "NCB",
            bankTransactionNo: "VNP14812345", cardType: "ATM", payDate: Int64(payDate),
            orderInfo: "Le phi thi tuyen cong chuc, ho so 000.00.12.H13-261206-0001"))
        #expect(result.isPaid)
        // Through the gateway protocol: paid, with VNPay's transaction number kept for reconciliation.
        let callback = try Self.gateway().readCallback(query: "?" + query)
        #expect(callback == PaymentCallback(gateway: .vnpay, reference: "000.00.12.H13-261206-0001-1",
                                            amount: Money(dong: 100_000), outcome: .paid, gatewayTransaction: "14812345",
                                            bankCode: "NCB", paidAt: Int64(payDate), gatewayCode: "00/00"))
        // Hex case does not matter; parameters that are not VNPay's are not signed and not read.
        let hash = try #require(query.components(separatedBy: "vnp_SecureHash=").last)
        #expect(hash.count == 128)
        #expect(try Self.gateway().verify(query: "utm=x&" + query.replacingOccurrences(of: hash, with: hash.uppercased())) == result)
    }

    @Test("Tampered returns are refused before any field is believed",
          arguments: [
              ("amount lowered", "vnp_Amount=10000000", "vnp_Amount=1000000"),
              ("amount raised", "vnp_Amount=10000000", "vnp_Amount=100000000"),
              ("another attempt's reference", "vnp_TxnRef=000.00.12.H13-261206-0001-1", "vnp_TxnRef=000.00.12.H13-261206-0002-1"),
              ("a vnp_ parameter added", "vnp_ResponseCode=00", "vnp_ResponseCode=00&vnp_Extra=1"),
              ("signature altered", "vnp_SecureHash=", "vnp_SecureHash=0"),
              ("signature removed", "&vnp_SecureHash=", "&vnp_Ignored="),
              ("a vnp_ parameter added beside the hash type", "vnp_SecureHashType=HmacSHA512", "vnp_SecureHashType=SHA256&vnp_Locale=en"),
          ])
    func tamperedRefused(_ name: String, _ original: String, _ replacement: String) throws {
        let query = try Self.signedByPython(Self.paidParameters)
        #expect(query.contains(original), "\(name): the query must hold \(original)")
        let tampered = query.replacingOccurrences(of: original, with: replacement)
        #expect(throws: PaymentCallbackRefusal.invalidSignature, "\(name)") { try Self.gateway().verify(query: tampered) }
        #expect(throws: PaymentCallbackRefusal.invalidSignature, "\(name)") { try Self.gateway().readCallback(query: tampered) }
    }

    @Test("An empty value verifies whether the gateway signed it (PHP sample) or left it out (Java, .NET samples)")
    func emptyValues() throws {
        var parameters = Self.paidParameters
        parameters["vnp_BankTranNo"] = ""
        for signEmpty in [false, true] {
            let query = try Self.signedByPython(parameters, signEmpty: signEmpty)
            #expect(query.contains("vnp_BankTranNo=&"))
            let result = try Self.gateway().verify(query: query)
            #expect(result.bankTransactionNo == nil && result.amount == Money(dong: 100_000), "signEmpty: \(signEmpty)")
            // Still bound to every other value.
            #expect(throws: PaymentCallbackRefusal.invalidSignature) {
                try Self.gateway().verify(query: query.replacingOccurrences(of: "vnp_Amount=10000000", with: "vnp_Amount=100"))
            }
        }
    }

    @Test("A return signed with another secret, or with a truncated signature, is refused")
    func wrongSecret() throws {
        let forged = try Self.signedByPython(Self.paidParameters, secret: "ANOTHERMERCHANTSECRET0000000000")
        #expect(throws: PaymentCallbackRefusal.invalidSignature) { try Self.gateway().verify(query: forged) }
        let query = try Self.signedByPython(Self.paidParameters)
        #expect(throws: PaymentCallbackRefusal.invalidSignature) { try Self.gateway().verify(query: String(query.dropLast(2))) }
        #expect(throws: PaymentCallbackRefusal.invalidSignature) { try Self.gateway().verify(query: query + "zz") }
    }

    @Test("Signed but wrong: another terminal, another currency, an amount in fractions of a đồng, a parameter twice")
    func signedButRefused() throws {
        var foreign = Self.paidParameters
        foreign["vnp_TmnCode"] = "OTHERTMN"
        #expect(throws: PaymentCallbackRefusal.foreignMerchant) { try Self.gateway().verify(query: try Self.signedByPython(foreign)) }
        var dollars = Self.paidParameters
        dollars["vnp_CurrCode"] = "USD"
        #expect(throws: PaymentCallbackRefusal.wrongCurrency) { try Self.gateway().verify(query: try Self.signedByPython(dollars)) }
        var fraction = Self.paidParameters
        fraction["vnp_Amount"] = "10000050"
        #expect(throws: PaymentCallbackRefusal.malformed("vnp_Amount")) { try Self.gateway().verify(query: try Self.signedByPython(fraction)) }
        var noReference = Self.paidParameters
        noReference["vnp_TxnRef"] = nil
        #expect(throws: PaymentCallbackRefusal.malformed("vnp_TxnRef")) { try Self.gateway().verify(query: try Self.signedByPython(noReference)) }
        let query = try Self.signedByPython(Self.paidParameters)
        #expect(throws: PaymentCallbackRefusal.malformed("query")) { try Self.gateway().verify(query: query + "&vnp_Amount=10000000") }
        #expect(throws: PaymentCallbackRefusal.malformed("query")) { try Self.gateway().verify(query: query + "&vnp_X=%E") }
    }

    @Test("A cancelled payment reads as failed with VNPay's reason; a half-finished one waits for a query")
    func cancelledAndPending() throws {
        var cancelled = Self.paidParameters
        cancelled["vnp_ResponseCode"] = "24"
        cancelled["vnp_TransactionStatus"] = "02"
        cancelled["vnp_TransactionNo"] = "0"
        cancelled["vnp_BankTranNo"] = nil
        cancelled["vnp_PayDate"] = nil
        let callback = try Self.gateway().readCallback(query: try Self.signedByPython(cancelled))
        #expect(callback.outcome == .failed("Bạn đã hủy giao dịch."))
        #expect(callback.gatewayTransaction == nil && callback.paidAt == nil && callback.gatewayCode == "24/02")
        // The same failure turned into a success by hand no longer verifies.
        let forged = try Self.signedByPython(cancelled)
            .replacingOccurrences(of: "vnp_ResponseCode=24", with: "vnp_ResponseCode=00")
            .replacingOccurrences(of: "vnp_TransactionStatus=02", with: "vnp_TransactionStatus=00")
        #expect(forged.contains("vnp_ResponseCode=00") && forged.contains("vnp_TransactionStatus=00"))
        #expect(throws: PaymentCallbackRefusal.invalidSignature) { try Self.gateway().readCallback(query: forged) }

        var incomplete = Self.paidParameters
        incomplete["vnp_TransactionStatus"] = "01"
        #expect(try Self.gateway().readCallback(query: try Self.signedByPython(incomplete)).outcome == .pending)
        #expect(try !Self.gateway().verify(query: try Self.signedByPython(incomplete)).isPaid)
    }

    @Test("The IPN answers are the protocol's codes, as the JSON VNPay reads")
    func ipnAnswers() throws {
        let gateway = try Self.gateway()
        let cases: [(PaymentNotificationOutcome, String)] = [
            (.recorded, #"{"RspCode":"00","Message":"Confirm Success"}"#),
            (.orderNotFound, #"{"RspCode":"01","Message":"Order not found"}"#),
            (.alreadyConfirmed, #"{"RspCode":"02","Message":"Order already confirmed"}"#),
            (.invalidAmount, #"{"RspCode":"04","Message":"Invalid amount"}"#),
            (.refused(.invalidSignature), #"{"RspCode":"97","Message":"Invalid signature"}"#),
            (.refused(.wrongCurrency), #"{"RspCode":"04","Message":"Invalid amount"}"#),
            (.refused(.foreignMerchant), #"{"RspCode":"01","Message":"Order not found"}"#),
            (.refused(.malformed("vnp_Amount")), #"{"RspCode":"99","Message":"Unknown error"}"#),
            (.failedToRecord, #"{"RspCode":"99","Message":"Unknown error"}"#),
        ]
        for (outcome, body) in cases {
            let answer = gateway.acknowledgement(for: outcome)
            #expect(answer.body == body && answer.contentType == "application/json")
            // Valid JSON with exactly these two members.
            let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: String])
            #expect(object.keys.sorted() == ["Message", "RspCode"])
        }
        #expect(VNPayIPNAnswer.allCases.map(\.rawValue) == ["00", "01", "02", "04", "97", "99"])
    }

    @Test("Requests the gateway would refuse, or that would sign characters escaped differently, are refused here")
    func badRequests() throws {
        let gateway = try Self.gateway()
        func refusal(_ change: (inout PaymentRequest) -> Void) -> PaymentRequestError? {
            var request = Self.examFee
            change(&request)
            do {
                _ = try gateway.paymentURL(for: request)
                return nil
            } catch {
                return error
            }
        }
        #expect(refusal { $0.amount = .zero } == .invalidAmount("Số tiền phải lớn hơn 0 đồng."))
        #expect(refusal { $0.amount = Money(dong: 10_000_000_000) } != nil)
        #expect(refusal { $0.amount = Money(dong: 9_999_999_999) } == nil)
        #expect(refusal { $0.reference = "" } == .invalidReference)
        #expect(refusal { $0.reference = "HS 1" } == .invalidReference)
        #expect(refusal { $0.reference = String(repeating: "A", count: 101) } == .invalidReference)
        #expect(refusal { $0.description = "  " } == .invalidDescription("Thiếu nội dung thanh toán."))
        #expect(refusal { $0.description = "Lệ phí (đợt 1) ~ 100%" }
                == .invalidDescription(#"Nội dung thanh toán có ký tự cổng thanh toán không nhận: "(", ")", "~", "%"."#))
        #expect(refusal { $0.description = "Phí 漢字" } != nil)
        #expect(refusal { $0.payerIP = "203.162.71.6; DROP" } == .invalidPayerIP)
        #expect(refusal { $0.payerIP = "2001:ee0:4f0:1::6" } == nil)
        #expect(refusal { $0.expiresAt = $0.createdAt } == .invalidTimes)
        #expect(refusal { $0.bankCode = "NCB&vnp_Amount=1" } == .invalidBankCode)
        #expect(PaymentRequestError.invalidReference.portalError.status.code == 422)
    }

    @Test("Configuration is checked once, and the secret never appears in its description")
    func configuration() throws {
        func configurationError(paymentURL: String = Self.base, terminal: String = Self.terminal, secret: String = Self.secret,
                                returnURL: String = Self.returnURL, orderType: String = "other") -> PaymentRequestError? {
            do {
                _ = try VNPayConfiguration(paymentURL: paymentURL, terminalCode: terminal, hashSecret: secret,
                                           returnURL: returnURL, orderType: orderType)
                return nil
            } catch {
                return error
            }
        }
        #expect(configurationError() == nil)
        #expect(configurationError(paymentURL: "ftp://x") != nil)
        #expect(configurationError(paymentURL: Self.base + "?a=1") != nil)
        #expect(configurationError(terminal: "SHORT") != nil)
        #expect(configurationError(secret: "abc") != nil)
        #expect(configurationError(returnURL: "https://x.gov.vn/~ket-qua") != nil)
        #expect(configurationError(returnURL: "/relative") != nil)
        #expect(configurationError(orderType: "Other goods") != nil)
        #expect(configurationError(orderType: "billpayment") == nil)
        #expect(VNPayLocale(rawValue: "fr") == nil)
        if case .invalidConfiguration = configurationError(terminal: "SHORT") {} else { Issue.record("not a configuration error") }
        #expect(PaymentRequestError.invalidConfiguration("x").portalError.status.code == 503)
        #expect(!String(describing: try Self.gateway().configuration).contains(Self.secret))
    }

    @Test("VNPay timestamps: GMT+7 both ways, impossible dates refused")
    func timestamps() throws {
        #expect(VNPayTime.format(0) == "19700101070000")
        #expect(VNPayTime.format(Self.created) == "20261206101530")
        #expect(VNPayTime.parse("20261206101530") == Self.created)
        #expect(VNPayTime.parse("20240229235959") != nil)
        for bad in ["20230229000000", "20261306101530", "20261206241530", "2026120610153", "2026120610153a", ""] {
            #expect(VNPayTime.parse(bad) == nil, "\(bad)")
        }
        let python = try PaymentPython.run(PaymentPython.vnpayStampToMilliseconds, ["stamp": "19991231235959"])
        #expect(VNPayTime.parse("19991231235959") == Int64(python))
    }
}
