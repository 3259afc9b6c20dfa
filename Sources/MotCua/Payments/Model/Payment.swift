import Foundation

/// Where a charge comes from: the procedure's fixed fees at submission, or a fee the desk requested.
enum ChargeSource: String, Sendable, Codable {
    case procedure
    case desk
}

/// How a payment was made.
public enum PaymentMethod: String, Sendable, Codable, CaseIterable {
    case vnpay
    case nationalPlatform = "national-platform"
    /// A bank transfer to the agency's account (VietQR), confirmed by the desk by hand or from a statement.
    case transfer
    /// Cash at the desk.
    case cash

    public var label: String {
        switch self {
        case .vnpay: "Trực tuyến qua VNPay"
        case .nationalPlatform: "Trực tuyến qua Nền tảng thanh toán quốc gia"
        case .transfer: "Chuyển khoản ngân hàng"
        case .cash: "Tiền mặt tại bộ phận một cửa"
        }
    }

    /// Paid through an online gateway (the online-payment indicator counts these).
    public var isOnline: Bool { self == .vnpay || self == .nationalPlatform }

    init(gateway: PaymentGatewayKind) {
        switch gateway {
        case .vnpay: self = .vnpay
        case .nationalPlatform: self = .nationalPlatform
        }
    }
}

/// Where one payment attempt stands.
enum AttemptState: String, Sendable, Codable {
    case pending, paid, failed

    var label: String {
        switch self {
        case .pending: "Đang chờ cổng thanh toán xác nhận"
        case .paid: "Đã thanh toán"
        case .failed: "Không thành công"
        }
    }
}

/// What a dossier owes.
struct DossierCharge: Sendable, Equatable {
    var id: Int64
    var dossierID: Int64
    var amount: Money
    var reason: String
    var source: ChargeSource
    var createdAt: Int64
    var paidAt: Int64?
    var cancelledAt: Int64?

    var isOpen: Bool { paidAt == nil && cancelledAt == nil }
}

/// One try to pay a charge.
struct PaymentAttempt: Sendable, Equatable {
    var id: Int64
    var reference: String
    var chargeID: Int64
    var dossierID: Int64
    var method: PaymentMethod
    var amount: Money
    var state: AttemptState
    var createdAt: Int64
    var expiresAt: Int64?
    var settledAt: Int64?
    var gatewayTransaction: String?
    var failure: String?
    var payerIP: String?
}

/// A receipt (biên lai thu phí, lệ phí): numbered per agency and year, one per paid attempt.
struct PaymentReceipt: Sendable, Equatable {
    var id: Int64
    var year: Int
    var number: Int
    var attemptID: Int64
    var dossierID: Int64
    var amount: Money
    var method: PaymentMethod
    var payerName: String
    var description: String
    var issuedAt: Int64
    var sha256: String?
    var size: Int64?

    /// "0001/2026".
    var numberText: String { String(format: "%04d", number) + "/\(year)" }
}

/// How a refund was paid back.
enum RefundMethod: String, Sendable, Codable, CaseIterable {
    case transfer, cash, gateway

    var label: String {
        switch self {
        case .transfer: "Chuyển khoản trả lại"
        case .cash: "Trả tiền mặt tại bộ phận một cửa"
        case .gateway: "Hoàn tiền qua cổng thanh toán"
        }
    }
}

/// A receipt paid back, with who decided it.
struct PaymentRefund: Sendable, Equatable {
    var id: Int64
    var receiptID: Int64
    var amount: Money
    var method: RefundMethod
    var reference: String
    var reason: String
    var decidedBy: Int64
    var decidedByName: String
    var createdAt: Int64
}

/// Everything about a dossier's money.
struct DossierPayments: Sendable, Equatable {
    var charges: [DossierCharge] = []
    var attempts: [PaymentAttempt] = []
    var receipts: [PaymentReceipt] = []
    var refunds: [PaymentRefund] = []

    /// The charge waiting for payment, if any.
    var openCharge: DossierCharge? { charges.first(where: \.isOpen) }
    var due: Money { openCharge?.amount ?? .zero }
    var paid: Money { Money(dong: receipts.reduce(0) { $0 + $1.amount.dong }) }
    var refunded: Money { Money(dong: refunds.reduce(0) { $0 + $1.amount.dong }) }
    var isEmpty: Bool { charges.isEmpty && attempts.isEmpty }

    /// Receipts not refunded yet.
    var refundable: [PaymentReceipt] {
        let refundedIDs = Set(refunds.map(\.receiptID))
        return receipts.filter { !refundedIDs.contains($0.id) }
    }

    /// Receipts beyond what the charges asked for (a transfer and an online payment of one charge, say):
    /// money to give back even if the dossier goes on.
    var overpaid: [PaymentReceipt] {
        var seen = Set<Int64>()
        var extra: [PaymentReceipt] = []
        for receipt in receipts {
            guard let attempt = attempts.first(where: { $0.id == receipt.attemptID }) else { continue }
            if !seen.insert(attempt.chargeID).inserted { extra.append(receipt) }
        }
        return extra
    }
}
