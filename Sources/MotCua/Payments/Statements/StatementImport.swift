import Foundation
import SQLKit

/// What became of one statement line.
enum StatementOutcome: Sendable, Equatable {
    case paid(code: String, receipt: String)
    case alreadyRecorded(code: String?)
    case noCode
    case unknownCode(String)
    case notAwaitingPayment(code: String, status: DossierStatus)
    case wrongAmount(code: String, expected: Money)
    case unreadable(String)

    var matched: Bool { if case .paid = self { true } else { false } }

    var message: String {
        switch self {
        case .paid(let code, let receipt): "Đã ghi nhận nộp phí cho hồ sơ \(code), biên lai số \(receipt)."
        case .alreadyRecorded(let code): "Giao dịch này đã được ghi nhận trước đó" + (code.map { " (hồ sơ \($0))" } ?? "") + "."
        case .noCode: "Nội dung chuyển khoản không có mã hồ sơ."
        case .unknownCode(let code): "Không có hồ sơ \(code) của cơ quan."
        case .notAwaitingPayment(let code, let status): "Hồ sơ \(code) không chờ nộp phí (trạng thái: \(status.label))."
        case .wrongAmount(let code, let expected): "Số tiền không khớp: hồ sơ \(code) phải nộp \(expected.formatted)."
        case .unreadable(let message): message
        }
    }
}

/// The result of an import, line by line.
struct StatementReport: Sendable {
    var rows: [(line: Int, reference: String, amount: String, note: String, outcome: StatementOutcome)]
    var matched: Int { rows.filter { $0.outcome.matched }.count }
    var unmatched: Int { rows.count - matched }
}

/// Confirms transfers from a bank statement: each credit line whose note holds a dossier code of the agency
/// awaiting payment, for exactly the amount due, pays that dossier (with its receipt), each line in its own
/// transaction. The bank's transaction number is recorded once, so importing a statement again, or one that
/// overlaps, pays nothing twice. Everything else is listed with the reason it did not match.
struct StatementImport: Sendable {
    let database: any Database
    let receipts: PaymentReceiptIssuer

    func run(_ text: String, staff: User, at now: Int64 = Clock.nowMilliseconds()) async throws -> StatementReport {
        guard staff.role == .receptionist, let agencyCode = staff.agencyCode else {
            throw DossierError.forbidden("Chỉ cán bộ tiếp nhận nhập sao kê ngân hàng.")
        }
        let (lines, problems) = try BankStatement.read(text)
        var rows: [(line: Int, reference: String, amount: String, note: String, outcome: StatementOutcome)] =
            problems.map { ($0.lineNumber, "", "", "", .unreadable($0.message)) }
        let candidates = Array(Set(lines.flatMap { BankStatement.dossierCodes(in: $0.note) }))
        let dossiers = try await self.dossiers(codes: candidates, agencyCode: agencyCode)
        for line in lines {
            let outcome = try await match(line, dossiers: dossiers, staff: staff, at: now)
            rows.append((line.lineNumber, line.reference, line.amount.formatted, line.note, outcome))
        }
        rows.sort { $0.line < $1.line }
        return StatementReport(rows: rows)
    }

    private func match(_ line: StatementLine, dossiers: [String: (id: Int64, status: DossierStatus)], staff: User,
                       at now: Int64) async throws -> StatementOutcome {
        let codes = BankStatement.dossierCodes(in: line.note)
        guard !codes.isEmpty else { return .noCode }
        // The longest reading that names a dossier: "…-12345" is the 12 345th, not the 1 234th followed by a 5.
        guard let code = codes.first(where: { dossiers[$0] != nil }), let dossier = dossiers[code] else { return .unknownCode(codes[0]) }
        let reference = line.reference.isEmpty ? "SK-\(code)-\(line.amount.dong)-\(line.date)" : line.reference
        do {
            return try await database.transaction { db in
                if try await PaymentStore.transferRecorded(reference, in: db) { return .alreadyRecorded(code: code) }
                do {
                    // The desk's own confirmation, with its checks (status 6, the amount due) made before it writes.
                    let receipt = try await PaymentStore.confirm(
                        dossierID: dossier.id, by: staff, method: .transfer, amount: line.amount, reference: reference,
                        note: "Theo sao kê ngân hàng" + (line.date.isEmpty ? "" : " ngày \(line.date)"), at: now, receipts: receipts, in: db)
                    return .paid(code: code, receipt: receipt.numberText)
                } catch PaymentError.notAwaitingPayment {
                    return .notAwaitingPayment(code: code, status: try await PaymentStore.status(of: dossier.id, in: db) ?? dossier.status)
                } catch PaymentError.amountMismatch(let expected, _) {
                    return .wrongAmount(code: code, expected: expected)
                }
            }
        } catch where PaymentService.isDuplicateTransaction(error) {
            return .alreadyRecorded(code: code)
        }
    }

    private func dossiers(codes: [String], agencyCode: String) async throws -> [String: (id: Int64, status: DossierStatus)] {
        try await database.read { db in
            var found: [String: (id: Int64, status: DossierStatus)] = [:]
            for start in stride(from: 0, to: codes.count, by: 500) {
                let batch = Array(codes[start..<min(start + 500, codes.count)])
                for row in try await db.raw("""
                    SELECT d.id, d.code, d.status FROM dossiers d
                    WHERE d.code IN (\(binds: batch)) AND d.agency_id = (SELECT id FROM agencies WHERE code = \(bind: agencyCode))
                    """).all() {
                    found[try row.decode(column: "code")] = (try row.decode(column: "id"),
                                                             DossierStatus(rawValue: try row.decode(column: "status")) ?? .draft)
                }
            }
            return found
        }
    }
}
