import Foundation
import SQLKit

/// One saved version of a notice's template: who saved it and when. Versions are never changed or
/// deleted, so the list of them is the template's history; the newest is the one in use.
struct NoticeTemplateVersion: Sendable, Equatable {
    var id: Int64
    var kind: NoticeKind
    var template: NoticeTemplate
    var createdAt: Int64
    var createdBy: String?
}

/// The notice templates: the newest saved version of each, or the shipped default before any was saved.
struct NoticeTemplateStore: Sendable {
    let database: any Database

    /// The template in use for `kind`, compiled, read in the caller's transaction (the notice is written there).
    static func compiled(_ kind: NoticeKind, in db: any SQLDatabase) async throws -> CompiledNoticeTemplate {
        let template = try await latest(kind, in: db)?.template ?? NoticeDefaults.template(kind)
        // A saved version was checked when saved; should a later release drop one of its placeholders, the
        // notice still goes out, with the shipped text.
        return (try? template.compiled(for: kind)) ?? (try! NoticeDefaults.template(kind).compiled(for: kind))
    }

    static func latest(_ kind: NoticeKind, in db: any SQLDatabase) async throws -> NoticeTemplateVersion? {
        try await db.raw("""
            \(Self.selectVersions)
            WHERE t.kind = \(bind: kind.rawValue) ORDER BY t.id DESC LIMIT 1
            """).first().map(version(from:))
    }

    func current(_ kind: NoticeKind) async throws -> NoticeTemplateVersion? {
        try await database.read { try await Self.latest(kind, in: $0) }
    }

    /// Every saved version of `kind`, newest first.
    func history(_ kind: NoticeKind, limit: Int = 50) async throws -> [NoticeTemplateVersion] {
        try await database.read { db in
            try await db.raw("""
                \(Self.selectVersions)
                WHERE t.kind = \(bind: kind.rawValue) ORDER BY t.id DESC LIMIT \(bind: limit)
                """).all().map(Self.version(from:))
        }
    }

    /// The newest version of every kind that was ever edited.
    func edited() async throws -> [NoticeKind: NoticeTemplateVersion] {
        let versions = try await database.read { db in
            try await db.raw("""
                \(Self.selectVersions)
                WHERE t.id IN (SELECT MAX(id) FROM notice_templates GROUP BY kind)
                """).all().map(Self.version(from:))
        }
        return Dictionary(versions.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Checks and saves a new version; throws `NoticeTemplate.Invalid` and saves nothing when it is wrong.
    @discardableResult
    func save(_ template: NoticeTemplate, for kind: NoticeKind, by userID: Int64) async throws -> NoticeTemplate {
        _ = try template.compiled(for: kind)
        try await database.transaction { db in
            try await db.raw("""
                INSERT INTO notice_templates (kind, mail_subject, mail_body, sms_text, created_at, created_by)
                VALUES (\(bind: kind.rawValue), \(bind: template.mailSubject), \(bind: template.mailBody), \(bind: template.smsText),
                    \(bind: Clock.nowMilliseconds()), \(bind: userID))
                """).run()
        }
        return template
    }

    /// A version with the name of who saved it; the caller adds WHERE and ORDER.
    private static let selectVersions: SQLQueryString = """
        SELECT t.id, t.kind, t.mail_subject, t.mail_body, t.sms_text, t.created_at, u.display_name
        FROM notice_templates t LEFT JOIN users u ON u.id = t.created_by
        """

    private static func version(from row: any SQLRow) throws -> NoticeTemplateVersion {
        NoticeTemplateVersion(
            id: try row.decode(column: "id"), kind: try JSONColumn.enumValue(row, "kind"),
            template: NoticeTemplate(
                mailSubject: try row.decode(column: "mail_subject"), mailBody: try row.decode(column: "mail_body"),
                smsText: try row.decode(column: "sms_text")),
            createdAt: try row.decode(column: "created_at"), createdBy: try row.decode(column: "display_name"))
    }
}
