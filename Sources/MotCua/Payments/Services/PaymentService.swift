import Foundation
import Logging

/// Paying a dossier's fees: the applicant's checkout through the agency's gateway, the gateway's notification
/// and the browser's return, the VietQR transfer details, the desk's confirmation of a transfer or of cash, and
/// refunds. Who may do what is checked here; the money itself is written by `PaymentStore`.
struct PaymentService: Sendable {
    let store: PaymentStore
    let dossiers: DossierService
    let workflow: DossierWorkflow
    let gateways: PaymentGateways
    let logger: Logger
    /// How long the gateway takes a payment after the payer was sent to it.
    var attemptLifetime: Int64 = 15 * 60 * 1000

    // MARK: The applicant

    /// The applicant's own dossier and what it owes and paid.
    func applicantView(_ dossierID: Int64, applicant: User) async throws -> (Dossier, DossierPayments) {
        let dossier = try await dossiers.ownedDossier(dossierID, by: applicant)
        return (dossier, try await store.payments(dossierID: dossier.id))
    }

    /// Starts an online payment of the dossier's open charge and returns the gateway's address to send the payer to.
    func checkout(_ dossierID: Int64, applicant: User, payerIP: String, at now: Int64 = Clock.nowMilliseconds()) async throws -> String {
        try await start(dossierID, applicant: applicant, payerIP: payerIP, at: now).url
    }

    /// `checkout`, with the attempt it recorded.
    func start(_ dossierID: Int64, applicant: User, payerIP: String, at now: Int64 = Clock.nowMilliseconds()) async throws
        -> (url: String, attempt: PaymentAttempt) {
        let dossier = try await dossiers.ownedDossier(dossierID, by: applicant)
        guard dossier.status == .feeRequested else { throw PaymentError.notAwaitingPayment }
        guard let gateway = gateways.gateway(for: dossier.agencyCode) else { throw PaymentError.gatewayUnavailable }
        let attempt = try await store.startAttempt(
            dossierID: dossier.id, method: PaymentMethod(gateway: gateway.kind), payerIP: payerIP, at: now, lifetime: attemptLifetime)
        let request = PaymentRequest(
            reference: attempt.reference, amount: attempt.amount, description: "Nop phi, le phi ho so \(dossier.code ?? "")",
            payerIP: Self.gatewayIP(payerIP), createdAt: now, expiresAt: now + attemptLifetime)
        return (try gateway.paymentURL(for: request), attempt)
    }

    /// Gateways want an IP address; a unit-test client or a proxy may give none.
    private static func gatewayIP(_ address: String) -> String {
        address.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) && (2...45).contains(address.utf8.count) ? address : "127.0.0.1"
    }

    /// VietQR details for a transfer of the open charge to the agency's account, if the agency publishes one.
    func transfer(for dossier: Dossier, payments: DossierPayments, agency: Agency?) -> TransferDetails? {
        guard dossier.status == .feeRequested, let charge = payments.openCharge, let account = agency?.bankAccount,
              let code = dossier.code else { return nil }
        var qr: String?
        if let bin = account.bin, let target = try? VietQRAccount(bin: bin, accountNumber: account.accountNumber),
           let code = try? VietQR(account: target, amount: charge.amount, note: code) {
            qr = (try? code.qrCode())?.svg(label: "Mã VietQR chuyển khoản \(charge.amount.formatted) cho hồ sơ \(dossier.code ?? "")")
        }
        return TransferDetails(
            bankName: account.bankName, accountNumber: account.accountNumber, accountHolder: account.accountHolder,
            amount: charge.amount, note: code, qrSVG: qr)
    }

    // MARK: The gateway

    /// The gateway's server-to-server notification: verified, applied once, answered in the protocol's terms.
    func notify(vnpayQuery query: String, at now: Int64 = Clock.nowMilliseconds()) async -> PaymentAcknowledgement {
        let fallback = VNPayGateway.acknowledgement
        guard let terminal = Self.parameter("vnp_TmnCode", in: query), let (agency, gateway) = gateways.vnpay(terminalCode: terminal) else {
            return fallback(.refused(.invalidSignature))
        }
        let outcome: PaymentNotificationOutcome
        do {
            outcome = await store.settle(try gateway.readCallback(query: query), agencyCode: agency, at: now)
        } catch {
            outcome = .refused(error)
        }
        if outcome == .failedToRecord { logger.error("payment notification not recorded; the gateway will retry") }
        return gateway.acknowledgement(for: outcome)
    }

    /// The browser's return from the gateway: only shown. What it says is checked, and the page reads the
    /// attempt as the notification recorded it, never as the browser claims.
    func browserReturn(vnpayQuery query: String) async throws -> ReturnOutcome {
        guard let terminal = Self.parameter("vnp_TmnCode", in: query), let (_, gateway) = gateways.vnpay(terminalCode: terminal) else {
            return .refused(PaymentCallbackRefusal.invalidSignature.message)
        }
        let callback: PaymentCallback
        do {
            callback = try gateway.readCallback(query: query)
        } catch {
            return .refused(error.message)
        }
        guard let attempt = try await store.attempt(reference: callback.reference), let dossier = try await dossiers.store.dossier(id: attempt.dossierID) else {
            return .refused("Không tìm thấy giao dịch thanh toán này.")
        }
        return .attempt(attempt, dossier, said: callback.outcome)
    }

    enum ReturnOutcome: Sendable {
        case refused(String)
        case attempt(PaymentAttempt, Dossier, said: PaymentCallback.Outcome)
    }

    /// One parameter of a form-encoded query, before any verification (only to pick the terminal's secret).
    static func parameter(_ name: String, in query: String) -> String? {
        for pair in query.split(separator: "&") where pair.hasPrefix(name + "=") {
            return String(pair.dropFirst(name.count + 1)).removingPercentEncoding
        }
        return nil
    }

    // MARK: The desk

    /// The dossier of the staff member's agency, with its payments.
    func staffView(_ dossierID: Int64, staff: User) async throws -> (Dossier, DossierPayments) {
        let dossier = try await workflow.dossier(dossierID, for: staff)
        return (dossier, try await store.payments(dossierID: dossier.id))
    }

    /// The desk confirms a transfer (by its bank transaction number) or cash for the open charge.
    func confirm(_ dossierID: Int64, staff: User, method: PaymentMethod, amount: Money, reference: String, note: String,
                 at now: Int64 = Clock.nowMilliseconds()) async throws -> PaymentReceipt {
        guard staff.role == .receptionist else { throw DossierError.forbidden("Chỉ cán bộ tiếp nhận xác nhận việc nộp phí.") }
        guard method == .transfer || method == .cash else { throw DossierError.invalidFields(["method": "Vui lòng chọn hình thức nộp."]) }
        if method == .transfer && reference.isEmpty {
            throw DossierError.invalidFields(["reference": "Vui lòng nhập mã giao dịch (số bút toán) của ngân hàng."])
        }
        let dossier = try await workflow.dossier(dossierID, for: staff)
        do {
            return try await store.confirm(dossierID: dossier.id, by: staff, method: method, amount: amount, reference: reference,
                                           note: note, at: now)
        } catch let error as PaymentError {
            throw error
        } catch where Self.isDuplicateTransaction(error) {
            throw DossierError.conflict("Giao dịch ngân hàng \(reference) đã được ghi nhận cho một hồ sơ khác hoặc trước đó.")
        }
    }

    func refund(_ dossierID: Int64, receiptID: Int64, staff: User, method: RefundMethod, reference: String, reason: String,
                at now: Int64 = Clock.nowMilliseconds()) async throws {
        guard staff.role == .receptionist || staff.role == .leader else {
            throw DossierError.forbidden("Chỉ cán bộ tiếp nhận hoặc lãnh đạo ghi nhận hoàn trả phí.")
        }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DossierError.invalidFields(["reason": "Vui lòng ghi rõ lý do và người quyết định hoàn trả."])
        }
        let dossier = try await workflow.dossier(dossierID, for: staff)
        try await store.refund(receiptID: receiptID, dossierID: dossier.id, by: staff, method: method, reference: reference,
                               reason: reason, at: now)
    }

    /// A unique index refused the bank's transaction number: it is already recorded.
    static func isDuplicateTransaction(_ error: any Error) -> Bool {
        let text = String(reflecting: error).lowercased()
        return text.contains("payment_attempts_transaction") || (text.contains("unique") && text.contains("gateway_transaction"))
    }
}

/// What the payment page shows for a bank transfer.
struct TransferDetails: Sendable {
    var bankName: String
    var accountNumber: String
    var accountHolder: String
    var amount: Money
    /// The transfer note: the dossier code as it is.
    var note: String
    /// The VietQR code as inline SVG, when the agency's bank BIN is known.
    var qrSVG: String?
}

extension VNPayGateway {
    /// The answer when no terminal of ours matches (same body for every terminal).
    static func acknowledgement(_ outcome: PaymentNotificationOutcome) -> PaymentAcknowledgement {
        PaymentAcknowledgement(contentType: "application/json", body: VNPayIPNAnswer(outcome).jsonBody)
    }
}
