import Foundation
import SQLKit

/// The one write path of questions, their answers and their publication as FAQ.
struct QuestionStore: Sendable {
    let database: any Database

    private static let columns: SQLQueryString = """
        q.id, a.code AS agency_code, a.name AS agency_name, p.code AS procedure_code, p.name AS procedure_name, q.asker_name,
        q.asker_email, q.asker_phone, q.asker_id, q.subject, q.body, q.asked_at, q.status, q.answer, q.answered_at, q.published_at
        """
    private static let from: SQLQueryString = """
        FROM questions q JOIN agencies a ON a.id = q.agency_id LEFT JOIN procedures p ON p.id = q.procedure_id
        """

    /// Saves a question to the agency (and procedure) it names, both read in the same transaction; an unknown
    /// agency or procedure saves nothing.
    func ask(_ input: QuestionInput, askerID: Int64?, clientHash: String, at: Int64) async throws -> Int64 {
        let saved = try await database.transaction { db -> Result<Int64, QuestionError> in
            guard let agency = try await db.raw("SELECT id FROM agencies WHERE code = \(bind: input.agencyCode)").first()
            else { return .failure(.invalid(["agency": "Cơ quan này không có trong danh mục."])) }
            let agencyID = try agency.decode(column: "id", as: Int64.self)
            var procedureID: Int64?
            if let code = input.procedureCode {
                guard let row = try await db.raw("""
                    SELECT id FROM procedures WHERE agency_id = \(bind: agencyID) AND code = \(bind: code)
                    """).first()
                else { return .failure(.invalid(["procedure": "Không tìm thấy thủ tục này của cơ quan đã chọn."])) }
                procedureID = try row.decode(column: "id", as: Int64.self)
            }
            guard let row = try await db.raw("""
                INSERT INTO questions (agency_id, procedure_id, asker_name, asker_email, asker_phone, asker_id, subject, body, asked_at,
                    client_hash, status)
                VALUES (\(bind: agencyID), \(bind: procedureID), \(bind: input.name), \(bind: input.email), \(bind: input.phone),
                    \(bind: askerID), \(bind: input.subject), \(bind: input.body), \(bind: at), \(bind: clientHash),
                    \(bind: QuestionStatus.waiting.rawValue))
                RETURNING id
                """).first()
            else { throw QuestionStoreError.notSaved }
            return .success(try row.decode(column: "id", as: Int64.self))
        }
        return try saved.get()
    }

    enum QuestionStoreError: Error { case notSaved }

    /// One page of an agency's questions: unanswered first, then the newest; `offset` rows skipped. One more row
    /// than `limit` is read to tell whether a next page exists.
    func questions(agencyCode: String, limit: Int, offset: Int) async throws -> (rows: [Question], hasMore: Bool) {
        let rows = try await database.read { db in
            try await db.raw("""
                SELECT \(Self.columns) \(Self.from)
                WHERE q.agency_id = (SELECT id FROM agencies WHERE code = \(bind: agencyCode))
                ORDER BY q.status, q.asked_at DESC, q.id DESC LIMIT \(bind: limit + 1) OFFSET \(bind: offset)
                """).all().map(Self.question)
        }
        return (Array(rows.prefix(limit)), rows.count > limit)
    }

    /// How many of the agency's questions wait for an answer.
    func waitingCount(agencyCode: String) async throws -> Int {
        try await database.read { db in
            try await db.raw("""
                SELECT COUNT(*) AS n FROM questions
                WHERE agency_id = (SELECT id FROM agencies WHERE code = \(bind: agencyCode)) AND status = \(bind: QuestionStatus.waiting.rawValue)
                """).first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    /// A question of the agency; one of another agency is nil, as if it did not exist.
    func question(id: Int64, agencyCode: String) async throws -> Question? {
        try await database.read { db in
            try await db.raw("SELECT \(Self.columns) \(Self.from) WHERE q.id = \(bind: id) AND a.code = \(bind: agencyCode)")
                .first().map(Self.question)
        }
    }

    /// The published questions of a procedure, the most recently published first.
    func faq(procedureID: Int64, limit: Int = 100) async throws -> [Question] {
        try await database.read { db in
            try await db.raw("""
                SELECT \(Self.columns) \(Self.from)
                WHERE q.procedure_id = \(bind: procedureID) AND q.published_at IS NOT NULL
                ORDER BY q.published_at DESC, q.id DESC LIMIT \(bind: limit)
                """).all().map(Self.question)
        }
    }

    /// The agency's answer to its own question; written again, it replaces the earlier one. `publish` (when
    /// not nil) publishes the question as FAQ or withdraws it in the same step. The first answer is mailed to
    /// the asker when they left an address, through the outbox in the same transaction.
    func answer(id: Int64, agencyCode: String, text: String, publish: Bool?, by userID: Int64, at: Int64) async throws {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let outcome = try await database.transaction { db -> QuestionError? in
            guard let question = try await db.raw("SELECT \(Self.columns) \(Self.from) WHERE q.id = \(bind: id) AND a.code = \(bind: agencyCode)")
                .first().map(Self.question)
            else { return .notFound }
            guard !text.isEmpty else { return .answerInvalid("Vui lòng nhập nội dung trả lời.") }
            guard text.count <= QuestionInput.maxBody else {
                return .answerInvalid("Nội dung trả lời dài tối đa \(QuestionInput.maxBody) ký tự (hiện có \(text.count)).")
            }
            if publish == true, question.procedureCode == nil { return .noProcedure }
            let published: Int64? = switch publish {
            case .none: question.publishedAt
            case .some(true): question.publishedAt ?? at
            case .some(false): nil
            }
            try await db.raw("""
                UPDATE questions SET answer = \(bind: text), answered_by = \(bind: userID), answered_at = \(bind: at),
                    status = \(bind: QuestionStatus.answered.rawValue), published_at = \(bind: published)
                WHERE id = \(bind: id)
                """).run()
            if question.status == .waiting, !question.askerEmail.isEmpty {
                try await Outbox.enqueue(to: question.askerEmail, subject: "Trả lời câu hỏi của bạn – \(question.agencyName)",
                                         body: Self.mailBody(question, answer: text), in: db)
            }
            return nil
        }
        if let outcome { throw outcome }
    }

    /// Publishes an answered question about a procedure as FAQ on that procedure's page, or withdraws it.
    func setPublished(id: Int64, agencyCode: String, published: Bool, at: Int64) async throws {
        let outcome = try await database.transaction { db -> QuestionError? in
            guard let question = try await db.raw("SELECT \(Self.columns) \(Self.from) WHERE q.id = \(bind: id) AND a.code = \(bind: agencyCode)")
                .first().map(Self.question)
            else { return .notFound }
            guard question.status == .answered else { return .notAnswered }
            // The FAQ is a part of the procedure's page: a general question has none to be shown on.
            if published, question.procedureCode == nil { return .noProcedure }
            try await db.raw("""
                UPDATE questions SET published_at = \(bind: published ? (question.publishedAt ?? at) : nil) WHERE id = \(bind: id)
                """).run()
            return nil
        }
        if let outcome { throw outcome }
    }

    private static func mailBody(_ question: Question, answer: String) -> String {
        """
        Kính gửi \(question.askerName),

        \(question.agencyName) trả lời câu hỏi bạn gửi lúc \(VietnameseFormat.dateTime(question.askedAt))\
        \(question.procedureName.map { " về thủ tục \"\($0)\"" } ?? ""):

        Câu hỏi:
        \(question.body)

        Trả lời:
        \(answer)

        Thư này được gửi tự động từ Cổng dịch vụ công; vui lòng không trả lời thư này.
        """
    }

    private static func question(_ row: any SQLRow) throws -> Question {
        Question(
            id: try row.decode(column: "id", as: Int64.self), agencyCode: try row.decode(column: "agency_code", as: String.self),
            agencyName: try row.decode(column: "agency_name", as: String.self),
            procedureCode: try row.decode(column: "procedure_code", as: String?.self),
            procedureName: try row.decode(column: "procedure_name", as: String?.self),
            askerName: try row.decode(column: "asker_name", as: String.self), askerEmail: try row.decode(column: "asker_email", as: String.self),
            askerPhone: try row.decode(column: "asker_phone", as: String.self), askerID: try row.decode(column: "asker_id", as: Int64?.self),
            subject: try row.decode(column: "subject", as: String.self), body: try row.decode(column: "body", as: String.self),
            askedAt: try row.decode(column: "asked_at", as: Int64.self),
            status: QuestionStatus(rawValue: try row.decode(column: "status", as: Int.self)) ?? .waiting,
            answer: try row.decode(column: "answer", as: String.self), answeredAt: try row.decode(column: "answered_at", as: Int64?.self),
            publishedAt: try row.decode(column: "published_at", as: Int64?.self))
    }
}
