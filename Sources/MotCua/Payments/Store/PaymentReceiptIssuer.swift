import Foundation
import SQLKit

/// Records a paid attempt, in the caller's transaction: settles its charge, numbers the receipt (biên lai thu
/// phí, lệ phí: a running number per agency and year) with everything it says, and takes the dossier's `pay`
/// step when this payment settled the charge it waits on. Money that arrives for a charge already paid or
/// cancelled (a transfer beside an online payment, a payment after the applicant withdrew) is still recorded
/// and receipted: the dossier page then offers its refund.
///
/// The receipt's PDF is drawn from those recorded values the first time it is asked for, and kept (its SHA-256
/// on the row): drawing and fsyncing it inside the payment's transaction held every payment of the agency
/// behind the receipt-number lock (about 20 payments a second; bench/README.md, issue 13).
struct PaymentReceiptIssuer: Sendable {
    let renderer: SlipRenderer
    let fileStore: any FileStore
    let publicURL: String
    let database: any Database

    static let form = "BLP"

    func recordPaid(_ attempt: PaymentAttempt, step: DossierStep, in db: any SQLDatabase) async throws -> PaymentReceipt {
        let settledCharge = try await db.raw("""
            UPDATE dossier_charges SET paid_at = \(bind: step.at)
            WHERE id = \(bind: attempt.chargeID) AND paid_at IS NULL AND cancelled_at IS NULL RETURNING id
            """).first() != nil
        guard let dossier = try await DossierStore.dossier(id: attempt.dossierID, in: db) else { throw DossierError.notFound }
        let receipt = try await issue(for: attempt, dossier: dossier, collector: step.actorID, at: step.at, in: db)
        if settledCharge && dossier.status == .feeRequested {
            let links = publicURL
            _ = try await DossierStore.transition(dossier.id, step, notice: { saved, db in
                guard let applicant = try await UserStore.user(id: saved.applicantID, in: db) else { return nil }
                return try await ApplicantNotice.after(.pay, dossier: saved, to: applicant, note: step.note, publicURL: links, in: db)
            }, in: db)
        } else {
            // Nothing for the state machine: the history still says the money came.
            try await db.raw("""
                INSERT INTO dossier_events (dossier_id, at, actor_id, action, from_status, to_status, note)
                VALUES (\(bind: dossier.id), \(bind: step.at), \(bind: step.actorID), \(bind: DossierAction.pay.rawValue),
                    \(bind: dossier.status.rawValue), \(bind: dossier.status.rawValue),
                    \(bind: step.note + " Khoản này cần được hoàn trả."))
                """).run()
        }
        return receipt
    }

    private func issue(for attempt: PaymentAttempt, dossier: Dossier, collector: Int64?, at now: Int64,
                       in db: any SQLDatabase) async throws -> PaymentReceipt {
        let year = OfficeHours.civilDate(of: now).year
        guard let sequence = try await db.raw("""
                INSERT INTO payment_receipt_sequences (agency_id, year, last_value)
                SELECT agency_id, \(bind: year), 1 FROM dossiers WHERE id = \(bind: dossier.id)
                ON CONFLICT (agency_id, year) DO UPDATE SET last_value = payment_receipt_sequences.last_value + 1
                RETURNING agency_id, last_value
                """).first()
        else { throw DossierError.notSaved }
        let description = try await db.raw("SELECT reason FROM dossier_charges WHERE id = \(bind: attempt.chargeID)").first()?
            .decode(column: "reason", as: String.self) ?? "Phí, lệ phí"
        guard let row = try await db.raw("""
            INSERT INTO payment_receipts (agency_id, year, number, attempt_id, dossier_id, amount, method, payer_name, description,
                issued_at, collected_by)
            VALUES (\(bind: try sequence.decode(column: "agency_id", as: Int64.self)), \(bind: year),
                \(bind: try sequence.decode(column: "last_value", as: Int.self)), \(bind: attempt.id), \(bind: dossier.id),
                \(bind: attempt.amount.dong), \(bind: attempt.method.rawValue), \(bind: dossier.applicantName), \(bind: description),
                \(bind: now), \(bind: collector))
            RETURNING \(unsafeRaw: PaymentStore.receiptColumns)
            """).first() else { throw DossierError.notSaved }
        return try PaymentStore.receipt(from: row)
    }

    /// The receipt's PDF: drawn from the recorded values the first time, then kept. Two first requests at once
    /// draw the same bytes (named by their hash), and the row keeps one.
    func pdf(for receipt: PaymentReceipt) async throws -> (sha256: String, size: Int64) {
        if let sha256 = receipt.sha256, let size = receipt.size { return (sha256, size) }
        guard let row = try await database.read({ db in
            try await db.raw("""
                SELECT d.code, a.name AS agency_name, a.province, p.name AS procedure_name, t.gateway_transaction,
                    u.display_name AS collector_name
                FROM payment_receipts r
                JOIN dossiers d ON d.id = r.dossier_id JOIN agencies a ON a.id = r.agency_id JOIN procedures p ON p.id = d.procedure_id
                JOIN payment_attempts t ON t.id = r.attempt_id LEFT JOIN users u ON u.id = r.collected_by
                WHERE r.id = \(bind: receipt.id)
                """).first()
        }) else { throw PaymentError.receiptNotFound }
        let code = try row.decode(column: "code", as: String?.self) ?? ""
        let slip = PaymentReceiptSlip(
            heading: SlipHeading(
                agencyName: try row.decode(column: "agency_name", as: String.self).uppercased(), place: try row.decode(column: "province"),
                slipNumber: receipt.numberText, dossierCode: code, issuedAt: receipt.issuedAt, layoutVersion: DossierSlips.layoutVersion,
                lookupURL: DossierSlips.lookupURL(publicURL: publicURL, code: code)),
            payerName: receipt.payerName, procedureName: try row.decode(column: "procedure_name"), description: receipt.description,
            amount: receipt.amount, method: receipt.method.label, transaction: try row.decode(column: "gateway_transaction"),
            paidAt: receipt.issuedAt, collectorName: try row.decode(column: "collector_name", as: String?.self) ?? "")
        let file = try await fileStore.write(bytes: try renderer.paymentReceipt(slip))
        try await database.transaction { db in
            try await db.raw("""
                UPDATE payment_receipts SET sha256 = \(bind: file.sha256), size_bytes = \(bind: file.size)
                WHERE id = \(bind: receipt.id) AND sha256 IS NULL
                """).run()
        }
        return (file.sha256, file.size)
    }
}

/// What a receipt says, for its PDF.
struct PaymentReceiptSlip: Sendable {
    var heading: SlipHeading
    var payerName: String
    var procedureName: String
    var description: String
    var amount: Money
    var method: String
    var transaction: String?
    var paidAt: Int64
    var collectorName: String
}

extension SlipRenderer {
    /// A5: the receipt of a fee paid for a dossier.
    func paymentReceipt(_ slip: PaymentReceiptSlip) throws -> [UInt8] {
        let pdf = PDFWriter(fonts: fonts, title: "Biên lai thu phí, lệ phí số \(slip.heading.slipNumber) – \(slip.heading.dossierCode)")
        let layout = SlipLayout(pdf: pdf, heading: slip.heading, form: PaymentReceiptIssuer.form, pageSize: .a5Portrait, bodySize: 8)
        layout.startPage()
        try layout.qrCode()
        layout.header()
        layout.title("BIÊN LAI THU PHÍ, LỆ PHÍ", subtitle: "Số: \(slip.heading.slipNumber)")
        layout.line(slip.payerName, label: "Họ tên người nộp:")
        layout.line(slip.heading.dossierCode, label: "Mã hồ sơ:")
        layout.line(slip.procedureName, label: "Thủ tục:")
        layout.line(slip.description, label: "Nội dung thu:")
        layout.line(slip.amount.formatted, label: "Số tiền:")
        layout.line(slip.method, label: "Hình thức thanh toán:")
        if let transaction = slip.transaction { layout.line(transaction, label: "Mã giao dịch:") }
        layout.line(SlipDate.moment(slip.paidAt), label: "Thời gian nộp:")
        layout.y += layout.lineHeight * 0.4
        layout.signatures([("NGƯỜI NỘP TIỀN", slip.payerName),
                           ("NGƯỜI THU TIỀN", slip.collectorName.isEmpty ? "(Thanh toán trực tuyến)" : slip.collectorName)])
        return pdf.finish()
    }
}
