import Foundation
import SQLKit

/// The one write path of satisfaction ratings and the agency's answers.
struct RatingStore: Sendable {
    let database: any Database

    private static let columns: SQLQueryString = """
        r.dossier_id, d.code, p.name AS procedure_name, r.rated_at, r.information, r.attitude, r.timeliness, r.outcome, r.comment,
        r.reply, r.replied_at
        """

    /// Saves the applicant's rating of their own dossier: only once the result is returned, and only once.
    /// The check and the insert are one transaction; the primary key refuses a second rating that races it.
    func rate(dossierID: Int64, applicantID: Int64, input: RatingInput, at: Int64) async throws -> Rating {
        let saved = try await database.transaction { db -> Result<Void, RatingError> in
            guard let row = try await db.raw("""
                SELECT status, agency_id FROM dossiers WHERE id = \(bind: dossierID) AND applicant_id = \(bind: applicantID)
                """).first()
            else { return .failure(.notFound) }
            guard try row.decode(column: "status", as: Int.self) == DossierStatus.returned.rawValue else { return .failure(.notReturned) }
            if try await db.raw("SELECT dossier_id FROM dossier_ratings WHERE dossier_id = \(bind: dossierID)").first() != nil {
                return .failure(.alreadyRated)
            }
            let a = input.answers
            try await db.raw("""
                INSERT INTO dossier_ratings (dossier_id, agency_id, applicant_id, rated_at, information, attitude, timeliness, outcome, comment)
                VALUES (\(bind: dossierID), \(bind: try row.decode(column: "agency_id", as: Int64.self)), \(bind: applicantID), \(bind: at),
                    \(bind: a[.information] ?? 0), \(bind: a[.attitude] ?? 0), \(bind: a[.timeliness] ?? 0), \(bind: a[.outcome] ?? 0),
                    \(bind: input.comment))
                """).run()
            return .success(())
        }
        if case .failure(let error) = saved { throw error }
        guard let rating = try await rating(dossierID: dossierID) else { throw RatingError.notFound }
        return rating
    }

    func rating(dossierID: Int64) async throws -> Rating? {
        try await database.read { db in
            try await db.raw("""
                SELECT \(Self.columns) FROM dossier_ratings r JOIN dossiers d ON d.id = r.dossier_id JOIN procedures p ON p.id = d.procedure_id
                WHERE r.dossier_id = \(bind: dossierID)
                """).first().map(Self.rating)
        }
    }

    /// An agency's ratings, newest first (at most `limit`).
    func ratings(agencyCode: String, limit: Int = 200) async throws -> [Rating] {
        try await database.read { db in
            try await db.raw("""
                SELECT \(Self.columns) FROM dossier_ratings r JOIN dossiers d ON d.id = r.dossier_id JOIN procedures p ON p.id = d.procedure_id
                WHERE r.agency_id = (SELECT id FROM agencies WHERE code = \(bind: agencyCode))
                ORDER BY r.rated_at DESC, r.dossier_id DESC LIMIT \(bind: limit)
                """).all().map(Self.rating)
        }
    }

    /// The agency's answer to a rating of one of its own dossiers; written again, it replaces the earlier one.
    /// A rating of another agency is "not found" whatever the text.
    func reply(dossierID: Int64, agencyCode: String, text: String, by userID: Int64, at: Int64) async throws {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let outcome = try await database.transaction { db -> RatingError? in
            guard try await db.raw("""
                SELECT r.dossier_id FROM dossier_ratings r JOIN agencies a ON a.id = r.agency_id
                WHERE r.dossier_id = \(bind: dossierID) AND a.code = \(bind: agencyCode)
                """).first() != nil else { return .notFound }
            guard !text.isEmpty else { return .replyInvalid("Hãy nhập nội dung trả lời.") }
            guard text.count <= RatingInput.maxCommentLength else {
                return .replyInvalid("Nội dung trả lời dài tối đa \(RatingInput.maxCommentLength) ký tự.")
            }
            try await db.raw("""
                UPDATE dossier_ratings SET reply = \(bind: text), replied_at = \(bind: at), replied_by = \(bind: userID)
                WHERE dossier_id = \(bind: dossierID)
                """).run()
            return nil
        }
        if let outcome { throw outcome }
    }

    private static func rating(_ row: any SQLRow) throws -> Rating {
        Rating(
            dossierID: try row.decode(column: "dossier_id", as: Int64.self), dossierCode: try row.decode(column: "code", as: String?.self) ?? "",
            procedureName: try row.decode(column: "procedure_name", as: String.self), ratedAt: try row.decode(column: "rated_at", as: Int64.self),
            answers: Dictionary(uniqueKeysWithValues: try RatingQuestion.allCases.map { ($0, try row.decode(column: $0.rawValue, as: Int.self)) }),
            comment: try row.decode(column: "comment", as: String.self), reply: try row.decode(column: "reply", as: String.self),
            repliedAt: try row.decode(column: "replied_at", as: Int64?.self))
    }
}
