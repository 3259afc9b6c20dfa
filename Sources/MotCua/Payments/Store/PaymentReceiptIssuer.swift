import Foundation
import SQLKit

/// Records a paid attempt, in the caller's transaction: settles its charge, numbers and issues the receipt
/// (biên lai thu phí, lệ phí: a running number per agency and year, kept as a PDF with the dossier, drawn with
/// the slips' layout), and takes the dossier's `pay` step when this payment settled the charge it waits on.
/// Money that arrives for a charge already paid or cancelled (a transfer beside an online payment, a payment
/// after the applicant withdrew) is still recorded and receipted: the dossier page then offers its refund.
struct PaymentReceiptIssuer: Sendable {
    let renderer: SlipRenderer
    let fileStore: any FileStore
    let publicURL: String

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
        guard let agency = try await db.raw("""
                SELECT a.id, a.province FROM agencies a JOIN dossiers d ON d.agency_id = a.id WHERE d.id = \(bind: dossier.id)
                """).first(),
              let sequence = try await db.raw("""
                INSERT INTO payment_receipt_sequences (agency_id, year, last_value)
                VALUES (\(bind: try agency.decode(column: "id", as: Int64.self)), \(bind: year), 1)
                ON CONFLICT (agency_id, year) DO UPDATE SET last_value = payment_receipt_sequences.last_value + 1
                RETURNING last_value
                """).first()
        else { throw DossierError.notSaved }
        let agencyID = try agency.decode(column: "id", as: Int64.self)
        let number = try sequence.decode(column: "last_value", as: Int.self)
        let description = try await db.raw("SELECT reason FROM dossier_charges WHERE id = \(bind: attempt.chargeID)").first()?
            .decode(column: "reason", as: String.self) ?? "Phí, lệ phí"
        let collectorName = try await collector.asyncMap { try await UserStore.user(id: $0, in: db)?.displayName } ?? nil
        let slip = PaymentReceiptSlip(
            heading: SlipHeading(
                agencyName: dossier.agencyName.uppercased(), place: try agency.decode(column: "province"),
                slipNumber: String(format: "%04d", number) + "/\(year)", dossierCode: dossier.code ?? "", issuedAt: now,
                layoutVersion: DossierSlips.layoutVersion,
                lookupURL: DossierSlips.lookupURL(publicURL: publicURL, code: dossier.code ?? "")),
            payerName: dossier.applicantName, procedureName: dossier.procedureName, description: description,
            amount: attempt.amount, method: attempt.method.label, transaction: attempt.gatewayTransaction,
            paidAt: now, collectorName: collectorName ?? "")
        let file = try await fileStore.write(bytes: try renderer.paymentReceipt(slip))
        guard let row = try await db.raw("""
            INSERT INTO payment_receipts (agency_id, year, number, attempt_id, dossier_id, amount, method, payer_name, description,
                issued_at, sha256, size_bytes)
            VALUES (\(bind: agencyID), \(bind: year), \(bind: number), \(bind: attempt.id), \(bind: dossier.id), \(bind: attempt.amount.dong),
                \(bind: attempt.method.rawValue), \(bind: dossier.applicantName), \(bind: description), \(bind: now),
                \(bind: file.sha256), \(bind: file.size))
            RETURNING \(unsafeRaw: PaymentStore.receiptColumns)
            """).first() else { throw DossierError.notSaved }
        return try PaymentStore.receipt(from: row)
    }
}

extension Optional {
    /// `map` with an async transform.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
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
