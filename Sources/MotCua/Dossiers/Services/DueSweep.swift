import Foundation
import Logging
import Prometheus
import SQLKit
import ServiceLifecycle

/// Marks steps and dossiers due soon (within `dueSoonHalfDays` of office time) and overdue, at start and
/// every `interval`, and mails the holder once per state reached. Set-based: one UPDATE per state and kind,
/// which flips only rows not yet in that state, so with several portal processes each change is made, and
/// mailed, by exactly one of them (PostgreSQL re-checks the condition on a row another transaction just
/// changed; SQLite has one writer). The write path resets a state whenever it moves a due moment.
struct DueSweep: Service {
    let database: any Database
    let officeHours: OfficeHours
    let dueSoonHalfDays: Int
    let publicURL: String
    let logger: Logger
    var interval: Duration = .seconds(900)
    var ready: ReadySignal? = nil
    var metrics: PrometheusCollectorRegistry? = nil

    typealias Result = DueSweepResult

    func run() async throws {
        await ready?.waitUnlessShuttingDown()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let result = try await sweep()
                if result.mails > 0 { logger.info("Due sweep", metadata: ["mails": "\(result.mails)"]) }
            } catch {
                logger.error("Due sweep failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                // Shutdown or cancellation ends the wait; the loop condition ends the service.
            }
        }
    }

    /// Statuses in which the agency holds the dossier against a due moment.
    static let open = [DossierStatus.accepted.rawValue, DossierStatus.processing.rawValue, DossierStatus.finished.rawValue]

    /// The states a row may be in before it reaches `state` (a state never goes back by the sweep; the write
    /// path resets it when it moves a due moment). Listed, not `<>`, so the sweep is an index range scan.
    static func before(_ state: DueState) -> [Int] {
        state == .overdue ? [DueState.inTime.rawValue, DueState.dueSoon.rawValue] : [DueState.inTime.rawValue]
    }

    /// One round at `now`.
    @discardableResult
    func sweep(now: Int64 = Clock.nowMilliseconds()) async throws -> Result {
        let calendar = try await CalendarOverrides(database: database).calendar()
        let soon = officeHours.adding(halfDays: dueSoonHalfDays, to: now, calendar: calendar)
        var result = Result()
        for (column, stateColumn, isStep) in [("step_due_at", "step_due_state", true), ("due_at", "due_state", false)] {
            for state in [DueState.overdue, .dueSoon] {
                let window: SQLQueryString = state == .overdue
                    ? "\(unsafeRaw: column) < \(bind: now)"
                    : "\(unsafeRaw: column) >= \(bind: now) AND \(unsafeRaw: column) <= \(bind: soon)"
                let flipped = try await database.transaction { db in
                    let rows = try await db.raw("""
                        UPDATE dossiers SET \(unsafeRaw: stateColumn) = \(bind: state.rawValue)
                        WHERE status IN (\(binds: Self.open)) AND \(unsafeRaw: stateColumn) IN (\(binds: Self.before(state))) AND \(window)
                        RETURNING id, code, holder_user_id, holder_unit_id, \(unsafeRaw: column) AS due
                        """).all()
                    return try await mail(rows, state: state, isStep: isStep, in: db)
                }
                result.mails += flipped.mails
                switch (isStep, state) {
                case (true, .overdue): result.stepsOverdue = flipped.count
                case (true, _): result.stepsDueSoon = flipped.count
                case (false, .overdue): result.dossiersOverdue = flipped.count
                case (false, _): result.dossiersDueSoon = flipped.count
                }
            }
        }
        try await updateGauges()
        return result
    }

    /// Mails the holder of each flipped row (its person, or else its unit's head) in the sweep's transaction,
    /// from the notice's template. Set-based like the flip: one query finds the recipients and one INSERT
    /// writes the mails of up to `batch` rows, so thousands of flips cost a few statements, not two per row.
    private func mail(_ rows: [any SQLRow], state: DueState, isStep: Bool, in db: any SQLDatabase) async throws -> (count: Int, mails: Int) {
        let template = try await NoticeTemplateStore.compiled(NoticeKind(due: state, isStep: isStep), in: db)
        let due = Dictionary(try rows.map { (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "due", as: Int64.self)) },
                             uniquingKeysWith: { first, _ in first })
        var mails = 0
        let ids = Array(due.keys).sorted()
        for start in stride(from: 0, to: ids.count, by: Self.batch) {
            let chunk = Array(ids[start..<min(start + Self.batch, ids.count)])
            let recipients = try await db.raw("""
                SELECT d.id, d.code, p.name AS procedure_name, u.email, u.display_name
                FROM dossiers d JOIN procedures p ON p.id = d.procedure_id
                JOIN users u ON u.id = COALESCE(d.holder_user_id, (SELECT head_user_id FROM units WHERE units.id = d.holder_unit_id))
                WHERE d.id IN (\(binds: chunk)) AND u.disabled = \(bind: false)
                """).all()
            let messages = try recipients.map { row in
                let id = try row.decode(column: "id", as: Int64.self)
                return template.mail(to: try row.decode(column: "email"), Self.values(
                    recipient: try row.decode(column: "display_name"), code: try row.decode(column: "code", as: String?.self) ?? "",
                    procedure: try row.decode(column: "procedure_name"), due: due[id], dossierID: id, publicURL: publicURL))
            }
            try await Outbox.enqueue(messages, in: db)
            mails += messages.count
        }
        return (rows.count, mails)
    }

    /// The values of the staff notices' placeholders (`NoticePlaceholder.forStaff`) for one dossier.
    static func values(recipient: String, code: String, procedure: String, due: Int64?, dossierID: Int64, publicURL: String) -> [String: String] {
        [
            NoticePlaceholder.recipientName.name: recipient,
            NoticePlaceholder.code.name: code,
            NoticePlaceholder.procedure.name: procedure,
            NoticePlaceholder.deadline.name: due.map(VietnameseFormat.dateTime) ?? "—",
            NoticePlaceholder.staffURL.name: "\(publicURL)/mot-cua/ho-so/\(dossierID)",
        ]
    }

    /// Rows whose mails are written in one statement (7 binds each, far under either database's limit).
    static let batch = 500

    private func updateGauges() async throws {
        guard let metrics else { return }
        let row = try await database.read { db in
            try await db.raw("""
                SELECT (SELECT COUNT(*) FROM dossiers WHERE status IN (\(binds: Self.open)) AND due_state = \(bind: DueState.dueSoon.rawValue)) AS soon,
                    (SELECT COUNT(*) FROM dossiers WHERE status IN (\(binds: Self.open)) AND due_state = \(bind: DueState.overdue.rawValue)) AS late
                """).first()
        }
        metrics.makeGauge(descriptor: MetricNames.dossiersDueSoon).set(Double(try row?.decode(column: "soon", as: Int.self) ?? 0))
        metrics.makeGauge(descriptor: MetricNames.dossiersOverdue).set(Double(try row?.decode(column: "late", as: Int.self) ?? 0))
    }
}

/// What one round of the due sweep flipped, and how many mails it queued.
public struct DueSweepResult: Sendable, Equatable {
    public var stepsDueSoon = 0
    public var stepsOverdue = 0
    public var dossiersDueSoon = 0
    public var dossiersOverdue = 0
    public var mails = 0
}

/// One round of the due sweep with the configuration's office hours and due-soon window, for `motcua sweep-due`
/// (an operator's catch-up after downtime, and the benchmark of issue 11); no gauges (no metrics registry).
public func runDueSweep(database: any Database, configuration: AppConfiguration, logger: Logger) async throws -> DueSweepResult {
    try await DueSweep(database: database, officeHours: configuration.officeHours, dueSoonHalfDays: configuration.dueSoonHalfDays,
                       publicURL: configuration.publicURL, logger: logger).sweep()
}
