import SQLKit

/// Reads of the control slip's rows (hand-overs) and of the apologies of a dossier.
extension DossierStore {
    func handovers(dossierID: Int64) async throws -> [DossierHandover] {
        try await database.read { try await Self.handovers(dossierID: dossierID, in: $0) }
    }

    static func handovers(dossierID: Int64, in db: any SQLDatabase) async throws -> [DossierHandover] {
            try await db.raw("""
                SELECT h.id, h.step_position, h.step_name, un.name AS unit_name, hb.display_name AS handed_by_name,
                    rb.display_name AS received_by_name, h.received_at, h.due_at, h.finished_at, h.outcome, h.note
                FROM dossier_handovers h LEFT JOIN units un ON un.id = h.unit_id
                LEFT JOIN users hb ON hb.id = h.handed_by LEFT JOIN users rb ON rb.id = h.received_by
                WHERE h.dossier_id = \(bind: dossierID) ORDER BY h.id
                """).all().map { row in
                    DossierHandover(
                        id: try row.decode(column: "id"), position: try row.decode(column: "step_position"),
                        stepName: try row.decode(column: "step_name"), unitName: try row.decode(column: "unit_name"),
                        handedByName: try row.decode(column: "handed_by_name"), receivedByName: try row.decode(column: "received_by_name"),
                        receivedAt: try row.decode(column: "received_at"), dueAt: try row.decode(column: "due_at"),
                        finishedAt: try row.decode(column: "finished_at"),
                        outcome: try row.decode(column: "outcome", as: String?.self).flatMap(StepOutcome.init(rawValue:)),
                        note: try row.decode(column: "note"))
                }
    }

    /// How the result was handed over, once returned.
    func delivery(dossierID: Int64) async throws -> ResultDelivery? {
        try await database.read { try await Self.delivery(dossierID: dossierID, in: $0) }
    }

    static func delivery(dossierID: Int64, in db: any SQLDatabase) async throws -> ResultDelivery? {
        try await db.raw("""
            SELECT method, collector_name, collector_id_number, tracking_number, sent_on, recorded_at
            FROM dossier_deliveries WHERE dossier_id = \(bind: dossierID)
            """).first().map { row in
                ResultDelivery(
                    method: DeliveryMethod(rawValue: try row.decode(column: "method")) ?? .desk,
                    collectorName: try row.decode(column: "collector_name"), collectorIDNumber: try row.decode(column: "collector_id_number"),
                    trackingNumber: try row.decode(column: "tracking_number"),
                    sentOn: try row.decode(column: "sent_on", as: String?.self).flatMap(CivilDate.init(iso:)),
                    recordedAt: try row.decode(column: "recorded_at"))
            }
    }

    func apologies(dossierID: Int64) async throws -> [DossierApology] {
        try await database.read { try await Self.apologies(dossierID: dossierID, in: $0) }
    }

    static func apologies(dossierID: Int64, in db: any SQLDatabase) async throws -> [DossierApology] {
        try await db.raw("""
            SELECT ap.at, u.display_name AS by_name, ap.reason, ap.previous_due_at, ap.new_due_at
            FROM dossier_apologies ap LEFT JOIN users u ON u.id = ap.by_user_id
            WHERE ap.dossier_id = \(bind: dossierID) ORDER BY ap.id
            """).all().map { row in
                DossierApology(
                    at: try row.decode(column: "at"), byName: try row.decode(column: "by_name"), reason: try row.decode(column: "reason"),
                    previousDueAt: try row.decode(column: "previous_due_at"), newDueAt: try row.decode(column: "new_due_at"))
            }
    }
}
