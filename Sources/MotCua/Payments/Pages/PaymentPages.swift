import Foundation

/// One receipt as the dossier pages list it.
struct ReceiptRow: Sendable, Encodable {
    var id: Int64
    var number: String
    var amount: String
    var method: String
    var issuedAt: String
    var url: String
    /// "Đã hoàn trả …" once refunded.
    var refund: String?
}

/// One payment attempt, for the payer's and the desk's history.
struct AttemptRow: Sendable, Encodable {
    var at: String
    var method: String
    var amount: String
    var state: String
    var failure: String?

    /// The online attempts of a dossier, oldest first.
    static func online(_ payments: DossierPayments) -> [AttemptRow] {
        payments.attempts.filter { $0.method.isOnline }.map {
            AttemptRow(at: VietnameseFormat.dateTime($0.createdAt), method: $0.method.label, amount: $0.amount.formatted,
                       state: $0.state.label, failure: $0.failure)
        }
    }
}

/// What a dossier owes and paid, for the applicant's dossier page and the desk's.
struct PaymentPanel: Sendable, Encodable {
    var dossierID: Int64
    var csrfToken: String
    /// "100.000 đ", while a charge waits.
    var due: String?
    var dueReason: String?
    var dueAmountDigits: String = ""
    var paid: String
    var receipts: [ReceiptRow]
    var hasReceipts: Bool
    var attempts: [AttemptRow]
    var hasAttempts: Bool
    /// The applicant's link to the payment page.
    var payURL: String?
    /// The desk: confirm a transfer or cash for the open charge.
    var canConfirm = false
    /// The desk: receipts that can be refunded now.
    var refundable: [SelectOption] = []
    var canRefund = false
    /// Money to give back (the dossier ended, or a charge was paid twice).
    var refundWarning: String?

    init(_ payments: DossierPayments, dossier: Dossier, csrfToken: String, receiptURL: (PaymentReceipt) -> String) {
        dossierID = dossier.id
        self.csrfToken = csrfToken
        if let charge = payments.openCharge {
            due = charge.amount.formatted
            dueReason = charge.reason
            dueAmountDigits = charge.amount.plainDigits
        }
        paid = payments.paid.formatted
        receipts = payments.receipts.map { receipt in
            let refund = payments.refunds.first { $0.receiptID == receipt.id }
            return ReceiptRow(
                id: receipt.id, number: receipt.numberText, amount: receipt.amount.formatted, method: receipt.method.label,
                issuedAt: VietnameseFormat.dateTime(receipt.issuedAt), url: receiptURL(receipt),
                refund: refund.map { "Đã hoàn trả ngày \(VietnameseFormat.dateTime($0.createdAt)): \($0.method.label.lowercased()), \($0.decidedByName) quyết định. \($0.reason)" })
        }
        hasReceipts = !receipts.isEmpty
        attempts = AttemptRow.online(payments)
        hasAttempts = !attempts.isEmpty
        let ended = [DossierStatus.refused, .withdrawn, .stopped].contains(dossier.status)
        let owed = ended ? payments.refundable : payments.refundable.filter { receipt in payments.overpaid.contains { $0.id == receipt.id } }
        refundable = owed.map { SelectOption(value: String($0.id), label: "Biên lai \($0.numberText) – \($0.amount.formatted)", selected: false) }
        if !owed.isEmpty {
            let total = Money(dong: owed.reduce(0) { $0 + $1.amount.dong })
            refundWarning = ended
                ? "Hồ sơ đã kết thúc (\(dossier.status.label.lowercased())): cần hoàn trả \(total.formatted) đã nộp."
                : "Phí của hồ sơ đã được nộp nhiều lần: cần hoàn trả \(total.formatted) nộp thừa."
        }
    }

    var isEmpty: Bool { due == nil && receipts.isEmpty && attempts.isEmpty }
}

/// The applicant's payment page: the amount, online payment and the bank transfer with its VietQR code.
struct PaymentPage: PageModel {
    static let template = "dossiers/payment"
    var chrome: PageChrome
    var csrfToken: String
    var id: Int64
    var code: String
    var procedureName: String
    var agencyName: String
    var amount: String
    var reason: String
    var canPayOnline: Bool
    var onlineLabel: String
    var transfer: TransferView?
    var attempts: [AttemptRow]
    var hasAttempts: Bool
    var problem: String?
}

struct TransferView: Sendable, Encodable {
    var bankName: String
    var accountNumber: String
    var accountHolder: String
    var amount: String
    var note: String
    var qrSVG: String?
}

/// The page the gateway sends the payer back to: what the portal recorded, not what the browser said.
struct PaymentReturnPage: PageModel {
    static let template = "dossiers/payment-return"
    var chrome: PageChrome
    var heading: String
    var message: String
    var alertClass: String
    var dossierURL: String?
    var code: String?
}

/// The desk's statement import and its line-by-line result.
struct StatementPage: PageModel {
    static let template = "backoffice/statement"
    var chrome: PageChrome
    var csrfToken: String
    var rows: [StatementRow]
    var hasRows: Bool
    var summary: String?
    var problem: String?
}

struct StatementRow: Sendable, Encodable {
    var line: Int
    var reference: String
    var amount: String
    var note: String
    var outcome: String
    var matched: Bool
}
