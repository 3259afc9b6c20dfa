import Foundation
import SQLKit

/// The one write path of money. Every change that pays (a gateway's notification or query, the desk's
/// confirmation of a transfer or of cash, a statement line) goes through `recordPaid`: in one transaction the
/// attempt is marked paid only if it was not already (so of two notifications exactly one pays), the charge is
/// settled, the receipt is numbered and issued, and the dossier takes the `pay` step through the state machine
/// with its history entry. Amounts are whole đồng; a callback whose amount differs from the attempt's changes
/// nothing.
struct PaymentStore: Sendable {
    let database: any Database
    let receipts: PaymentReceiptIssuer

    // MARK: Charges

    /// Opens a charge on the dossier, in the caller's transaction (the step that asks for it).
    static func openCharge(_ charge: NewCharge, dossierID: Int64, at now: Int64, in db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO dossier_charges (dossier_id, amount, reason, source, requested_by, created_at)
            VALUES (\(bind: dossierID), \(bind: charge.amount.dong), \(bind: charge.reason), \(bind: charge.source.rawValue),
                \(bind: charge.requestedBy), \(bind: now))
            """).run()
    }

    /// Cancels the dossier's open charge (it was refused, withdrawn or stopped before paying), in the caller's transaction.
    static func cancelOpenCharges(dossierID: Int64, at now: Int64, in db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE dossier_charges SET cancelled_at = \(bind: now)
            WHERE dossier_id = \(bind: dossierID) AND paid_at IS NULL AND cancelled_at IS NULL
            """).run()
    }

    // MARK: Reads

    func payments(dossierID: Int64) async throws -> DossierPayments {
        try await database.read { db in try await Self.payments(dossierID: dossierID, in: db) }
    }

    static func payments(dossierID: Int64, in db: any SQLDatabase) async throws -> DossierPayments {
        let charges = try await db.raw("""
            SELECT id, dossier_id, amount, reason, source, created_at, paid_at, cancelled_at
            FROM dossier_charges WHERE dossier_id = \(bind: dossierID) ORDER BY id
            """).all().map { row in
                DossierCharge(
                    id: try row.decode(column: "id"), dossierID: try row.decode(column: "dossier_id"),
                    amount: Money(dong: try row.decode(column: "amount")), reason: try row.decode(column: "reason"),
                    source: ChargeSource(rawValue: try row.decode(column: "source")) ?? .desk,
                    createdAt: try row.decode(column: "created_at"), paidAt: try row.decode(column: "paid_at"),
                    cancelledAt: try row.decode(column: "cancelled_at"))
            }
        // Most dossiers owe nothing: one query for them (every attempt and receipt belongs to a charge).
        guard !charges.isEmpty else { return DossierPayments() }
        let attempts = try await db.raw("""
            SELECT \(unsafeRaw: attemptColumns) FROM payment_attempts WHERE dossier_id = \(bind: dossierID) ORDER BY id
            """).all().map(attempt(from:))
        let receipts = try await db.raw("""
            SELECT \(unsafeRaw: receiptColumns) FROM payment_receipts WHERE dossier_id = \(bind: dossierID) ORDER BY id
            """).all().map(receipt(from:))
        let refunds = try await db.raw("""
            SELECT r.id, r.receipt_id, r.amount, r.method, r.reference, r.reason, r.decided_by, r.created_at,
                u.display_name AS decided_by_name
            FROM payment_refunds r JOIN users u ON u.id = r.decided_by WHERE r.dossier_id = \(bind: dossierID) ORDER BY r.id
            """).all().map { row in
                PaymentRefund(
                    id: try row.decode(column: "id"), receiptID: try row.decode(column: "receipt_id"),
                    amount: Money(dong: try row.decode(column: "amount")),
                    method: RefundMethod(rawValue: try row.decode(column: "method")) ?? .transfer,
                    reference: try row.decode(column: "reference"), reason: try row.decode(column: "reason"),
                    decidedBy: try row.decode(column: "decided_by"), decidedByName: try row.decode(column: "decided_by_name"),
                    createdAt: try row.decode(column: "created_at"))
            }
        return DossierPayments(charges: charges, attempts: attempts, receipts: receipts, refunds: refunds)
    }

    func attempt(reference: String) async throws -> PaymentAttempt? {
        try await database.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: Self.attemptColumns) FROM payment_attempts WHERE reference = \(bind: reference)
                """).first().map(Self.attempt(from:))
        }
    }

    /// Gateway attempts still waiting for their notification, oldest first: the reconciliation asks the
    /// gateway about them.
    func pendingGatewayAttempts(createdBefore cutoff: Int64, limit: Int) async throws -> [PaymentAttempt] {
        try await database.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: Self.attemptColumns) FROM payment_attempts
                WHERE state = 'pending' AND created_at < \(bind: cutoff) ORDER BY created_at LIMIT \(bind: limit)
                """).all().map(Self.attempt(from:))
        }
    }

    /// The agency and code of a dossier, for asking its gateway.
    func dossierAgency(_ dossierID: Int64) async throws -> (agencyCode: String, code: String?)? {
        try await database.read { db in
            try await db.raw("""
                SELECT a.code AS agency_code, d.code FROM dossiers d JOIN agencies a ON a.id = d.agency_id WHERE d.id = \(bind: dossierID)
                """).first().map { (try $0.decode(column: "agency_code"), try $0.decode(column: "code")) }
        }
    }

    // MARK: Online attempts

    /// Records a new gateway attempt for the dossier's open charge, if the dossier awaits payment.
    func startAttempt(dossierID: Int64, method: PaymentMethod, payerIP: String, at now: Int64, lifetime: Int64) async throws -> PaymentAttempt {
        try await database.transaction { db in
            let charge = try await Self.awaitedCharge(dossierID: dossierID, in: db)
            // Unique per attempt (never reused for a retry), letters and digits as every gateway takes them.
            let reference = "\(dossierID)T\(now)R\(UInt32.random(in: 1000...9999))"
            guard let row = try await db.raw("""
                INSERT INTO payment_attempts (reference, charge_id, dossier_id, method, amount, state, created_at, expires_at, payer_ip)
                VALUES (\(bind: reference), \(bind: charge.id), \(bind: dossierID), \(bind: method.rawValue), \(bind: charge.amount.dong),
                    'pending', \(bind: now), \(bind: now + lifetime), \(bind: payerIP))
                RETURNING \(unsafeRaw: Self.attemptColumns)
                """).first() else { throw DossierError.notSaved }
            return try Self.attempt(from: row)
        }
    }

    /// Applies what a gateway said about an attempt (its notification, or its answer to a query): never throws,
    /// so the caller can always answer the gateway. Idempotent: a second "paid" for the same attempt changes
    /// nothing and says so.
    /// `agencyCode` is the agency whose terminal's secret verified the callback: an attempt of another agency
    /// is not found for it.
    func settle(_ callback: PaymentCallback, agencyCode: String, at now: Int64) async -> PaymentNotificationOutcome {
        do {
            // A replay of a paid attempt (the gateway retries) is answered from a read: no write transaction,
            // which on SQLite would queue behind every payment being recorded.
            if callback.outcome == .paid, let known = try await database.read({ db in
                try await Self.attempt(reference: callback.reference, agencyCode: agencyCode, in: db)
            }), known.state == .paid, known.method == PaymentMethod(gateway: callback.gateway) {
                return known.amount == callback.amount ? .alreadyConfirmed : .invalidAmount
            }
            return try await database.transaction { db in
                guard let attempt = try await Self.attempt(reference: callback.reference, agencyCode: agencyCode, in: db) else {
                    return .orderNotFound
                }
                guard attempt.method == PaymentMethod(gateway: callback.gateway) else { return .orderNotFound }
                guard attempt.amount == callback.amount else { return .invalidAmount }
                switch callback.outcome {
                case .pending:
                    return attempt.state == .pending ? .recorded : .alreadyConfirmed
                case .failed(let reason):
                    guard try await db.raw("""
                        UPDATE payment_attempts SET state = 'failed', settled_at = \(bind: now), failure = \(bind: reason),
                            gateway_code = \(bind: callback.gatewayCode)
                        WHERE id = \(bind: attempt.id) AND state = 'pending' RETURNING id
                        """).first() != nil else { return .alreadyConfirmed }
                    return .recorded
                case .paid:
                    // A payment after a failure was recorded (a query that found nothing, then the late
                    // notification) is still money received: it is recorded.
                    guard try await db.raw("""
                        UPDATE payment_attempts SET state = 'paid', settled_at = \(bind: now), failure = NULL,
                            gateway_transaction = \(bind: callback.gatewayTransaction), bank_code = \(bind: callback.bankCode),
                            gateway_code = \(bind: callback.gatewayCode)
                        WHERE id = \(bind: attempt.id) AND state IN ('pending', 'failed') RETURNING id
                        """).first() != nil else { return .alreadyConfirmed }
                    let note = "Nộp phí, lệ phí \(callback.amount.formatted) \(attempt.method.label.lowercased())"
                        + (callback.gatewayTransaction.map { " (mã giao dịch \($0))" } ?? "")
                    _ = try await receipts.recordPaid(attempt, step: DossierStep(action: .pay, actor: .applicant, actorID: nil, note: note, at: now), in: db)
                    return .recorded
                }
            }
        } catch {
            return .failedToRecord
        }
    }

    // MARK: The desk's confirmations

    /// The desk confirms a bank transfer or cash for the dossier's open charge. `reference` (the bank's
    /// transaction number) is recorded once: the same transfer cannot pay twice.
    func confirm(dossierID: Int64, by staff: User, method: PaymentMethod, amount: Money, reference: String?, note: String,
                 at now: Int64) async throws -> PaymentReceipt {
        try await database.transaction { db in
            try await Self.confirm(dossierID: dossierID, by: staff, method: method, amount: amount, reference: reference, note: note,
                                   at: now, receipts: receipts, in: db)
        }
    }

    static func confirm(dossierID: Int64, by staff: User, method: PaymentMethod, amount: Money, reference: String?, note: String,
                        at now: Int64, receipts: PaymentReceiptIssuer, in db: any SQLDatabase) async throws -> PaymentReceipt {
        let charge = try await awaitedCharge(dossierID: dossierID, in: db)
        guard charge.amount == amount else { throw PaymentError.amountMismatch(expected: charge.amount, given: amount) }
        let attemptReference = "\(dossierID)\(method == .cash ? "C" : "B")\(now)R\(UInt32.random(in: 1000...9999))"
        guard let row = try await db.raw("""
            INSERT INTO payment_attempts (reference, charge_id, dossier_id, method, amount, state, created_at, settled_at,
                gateway_transaction, recorded_by, note)
            VALUES (\(bind: attemptReference), \(bind: charge.id), \(bind: dossierID), \(bind: method.rawValue), \(bind: amount.dong),
                'paid', \(bind: now), \(bind: now), \(bind: reference?.nonEmpty), \(bind: staff.id), \(bind: note))
            RETURNING \(unsafeRaw: attemptColumns)
            """).first() else { throw DossierError.notSaved }
        let attempt = try attempt(from: row)
        var text = "Xác nhận đã nộp phí, lệ phí \(amount.formatted): \(method.label.lowercased())"
        if let reference = reference?.nonEmpty { text += " (mã giao dịch \(reference))" }
        if !note.isEmpty { text += ". " + note }
        guard let role = staff.role else { throw DossierError.forbidden("Tài khoản không có vai trò cán bộ.") }
        return try await receipts.recordPaid(attempt, step: DossierStep(action: .pay, actor: .staff(role), actorID: staff.id, note: text, at: now), in: db)
    }

    /// Whether a bank transaction number is already recorded for transfers (a statement imported again).
    static func transferRecorded(_ reference: String, in db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT id FROM payment_attempts WHERE method = 'transfer' AND gateway_transaction = \(bind: reference)
            """).first() != nil
    }

    // MARK: Refunds

    /// Records that a receipt was paid back: the dossier was refused, withdrawn or stopped, or the receipt
    /// paid a charge twice.
    func refund(receiptID: Int64, dossierID: Int64, by staff: User, method: RefundMethod, reference: String, reason: String,
                at now: Int64) async throws {
        try await database.transaction { db in
            let payments = try await Self.payments(dossierID: dossierID, in: db)
            guard let receipt = payments.receipts.first(where: { $0.id == receiptID }) else { throw PaymentError.receiptNotFound }
            guard !payments.refunds.contains(where: { $0.receiptID == receiptID }) else { throw PaymentError.alreadyRefunded }
            let status = try await Self.status(of: dossierID, in: db)
            guard [DossierStatus.refused, .withdrawn, .stopped].contains(status) || payments.overpaid.contains(where: { $0.id == receiptID }) else {
                throw PaymentError.notRefundable
            }
            try await db.raw("""
                INSERT INTO payment_refunds (receipt_id, dossier_id, amount, method, reference, reason, decided_by, created_at)
                VALUES (\(bind: receiptID), \(bind: dossierID), \(bind: receipt.amount.dong), \(bind: method.rawValue), \(bind: reference),
                    \(bind: reason), \(bind: staff.id), \(bind: now))
                """).run()
            try await db.raw("""
                INSERT INTO dossier_events (dossier_id, at, actor_id, action, from_status, to_status, note)
                VALUES (\(bind: dossierID), \(bind: now), \(bind: staff.id), \(bind: DossierAction.refund.rawValue),
                    \(bind: status?.rawValue), \(bind: status?.rawValue),
                    \(bind: "Hoàn trả \(receipt.amount.formatted) (biên lai số \(receipt.numberText)): \(method.label.lowercased()). \(reason)"))
                """).run()
        }
    }

    /// The agency's attempt with that reference (another agency's is not found).
    static func attempt(reference: String, agencyCode: String, in db: any SQLDatabase) async throws -> PaymentAttempt? {
        try await db.raw("""
            SELECT \(unsafeRaw: attemptColumns) FROM payment_attempts WHERE reference = \(bind: reference)
              AND dossier_id IN (SELECT d.id FROM dossiers d JOIN agencies a ON a.id = d.agency_id WHERE a.code = \(bind: agencyCode))
            """).first().map(attempt(from:))
    }

    static func status(of dossierID: Int64, in db: any SQLDatabase) async throws -> DossierStatus? {
        let code = try await db.raw("SELECT status FROM dossiers WHERE id = \(bind: dossierID)").first()?
            .decode(column: "status", as: Int.self)
        return code.flatMap(DossierStatus.init(rawValue:))
    }

    /// The charge the dossier waits on: it must be in status 6 with an open charge.
    static func awaitedCharge(dossierID: Int64, in db: any SQLDatabase) async throws -> DossierCharge {
        guard try await status(of: dossierID, in: db) == .feeRequested,
              let charge = try await payments(dossierID: dossierID, in: db).openCharge
        else { throw PaymentError.notAwaitingPayment }
        return charge
    }

    // MARK: Rows

    static let attemptColumns = """
        id, reference, charge_id, dossier_id, method, amount, state, created_at, expires_at, settled_at, gateway_transaction, failure, payer_ip
        """

    static func attempt(from row: any SQLRow) throws -> PaymentAttempt {
        PaymentAttempt(
            id: try row.decode(column: "id"), reference: try row.decode(column: "reference"), chargeID: try row.decode(column: "charge_id"),
            dossierID: try row.decode(column: "dossier_id"),
            method: PaymentMethod(rawValue: try row.decode(column: "method")) ?? .transfer,
            amount: Money(dong: try row.decode(column: "amount")),
            state: AttemptState(rawValue: try row.decode(column: "state")) ?? .pending,
            createdAt: try row.decode(column: "created_at"), expiresAt: try row.decode(column: "expires_at"),
            settledAt: try row.decode(column: "settled_at"), gatewayTransaction: try row.decode(column: "gateway_transaction"),
            failure: try row.decode(column: "failure"), payerIP: try row.decode(column: "payer_ip"))
    }

    static let receiptColumns = """
        id, year, number, attempt_id, dossier_id, amount, method, payer_name, description, issued_at, sha256, size_bytes
        """

    static func receipt(from row: any SQLRow) throws -> PaymentReceipt {
        PaymentReceipt(
            id: try row.decode(column: "id"), year: try row.decode(column: "year"), number: try row.decode(column: "number"),
            attemptID: try row.decode(column: "attempt_id"), dossierID: try row.decode(column: "dossier_id"),
            amount: Money(dong: try row.decode(column: "amount")),
            method: PaymentMethod(rawValue: try row.decode(column: "method")) ?? .transfer,
            payerName: try row.decode(column: "payer_name"), description: try row.decode(column: "description"),
            issuedAt: try row.decode(column: "issued_at"), sha256: try row.decode(column: "sha256"),
            size: try row.decode(column: "size_bytes"))
    }
}
