import SQLKit

/// A row of the tracking book (sổ theo dõi hồ sơ, mẫu 06).
struct TrackingBookRow: Sendable, Equatable {
    var code: String
    var procedureName: String
    var applicantName: String
    var address: String
    var phone: String
    var receivedAt: Int64
    var dueAt: Int64?
    /// When the desk handed it to the first processing step.
    var sentAt: Int64?
    var finishedAt: Int64?
    var returnedAt: Int64?
}

extension DossierStore {
    /// The agency's dossiers received in [from, before), oldest first, optionally only those that passed
    /// through `unitID`: one range scan on (agency_id, accepted_at).
    func trackingBook(agencyCode: String, from: Int64, before: Int64, unitID: Int64?) async throws -> [TrackingBookRow] {
        var query: SQLQueryString = """
            SELECT d.code, p.name AS procedure_name, d.applicant_name, u.address, u.phone, d.accepted_at, d.due_at,
                d.finished_at, d.returned_at,
                (SELECT MIN(h.received_at) FROM dossier_handovers h WHERE h.dossier_id = d.id AND h.step_position = 1) AS sent_at
            FROM dossiers d JOIN procedures p ON p.id = d.procedure_id JOIN users u ON u.id = d.applicant_id
            WHERE d.agency_id = (SELECT id FROM agencies WHERE code = \(bind: agencyCode))
            AND d.accepted_at >= \(bind: from) AND d.accepted_at < \(bind: before)
            """
        if let unitID {
            query += " AND EXISTS (SELECT 1 FROM dossier_handovers h WHERE h.dossier_id = d.id AND h.unit_id = \(bind: unitID))"
        }
        query += " ORDER BY d.accepted_at, d.id"
        let sql = query
        return try await database.read { db in
            try await db.raw(sql).all().map { row in
                TrackingBookRow(
                    code: try row.decode(column: "code", as: String?.self) ?? "", procedureName: try row.decode(column: "procedure_name"),
                    applicantName: try row.decode(column: "applicant_name"), address: try row.decode(column: "address"),
                    phone: try row.decode(column: "phone"), receivedAt: try row.decode(column: "accepted_at"),
                    dueAt: try row.decode(column: "due_at"), sentAt: try row.decode(column: "sent_at"),
                    finishedAt: try row.decode(column: "finished_at"), returnedAt: try row.decode(column: "returned_at"))
            }
        }
    }
}
