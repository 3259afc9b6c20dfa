import SQLKit

/// A paper dossier the desk started (walk-in or by post) and has not registered yet.
struct PaperDraft: Sendable, Equatable {
    var id: Int64
    var channel: DossierChannel
    var applicantName: String
    var applicantIDNumber: String
    var procedureName: String
    var createdAt: Int64
    var updatedAt: Int64
    var scans: Int
}

extension DossierStore {
    /// The agency's paper drafts, the most recently touched first: what the desk has on its table but has not
    /// registered, so none is lost when the receptionist leaves its page. At most `limit` of them.
    func paperDrafts(agencyCode: String, limit: Int = 200) async throws -> [PaperDraft] {
        try await database.read { db in
            try await db.raw("""
                SELECT d.id, d.channel, d.created_at, d.updated_at, p.name AS procedure_name, u.display_name,
                    COALESCE(u.walk_in_id_number, '') AS id_number,
                    (SELECT COUNT(*) FROM dossier_attachments a WHERE a.dossier_id = d.id AND a.kind = 'applicant') AS scans
                FROM dossiers d JOIN procedures p ON p.id = d.procedure_id JOIN users u ON u.id = d.applicant_id
                WHERE d.agency_id = (SELECT id FROM agencies WHERE code = \(bind: agencyCode))
                AND d.status = \(bind: DossierStatus.draft.rawValue) AND d.channel <> \(bind: DossierChannel.online.rawValue)
                ORDER BY d.updated_at DESC, d.id DESC LIMIT \(bind: limit)
                """).all().map { row in
                    PaperDraft(
                        id: try row.decode(column: "id"),
                        channel: DossierChannel(rawValue: try row.decode(column: "channel")) ?? .desk,
                        applicantName: try row.decode(column: "display_name"), applicantIDNumber: try row.decode(column: "id_number"),
                        procedureName: try row.decode(column: "procedure_name"), createdAt: try row.decode(column: "created_at"),
                        updatedAt: try row.decode(column: "updated_at"), scans: try row.decode(column: "scans"))
                }
        }
    }
}
