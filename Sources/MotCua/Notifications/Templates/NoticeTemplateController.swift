import Foundation
import HTTPTypes
import Hummingbird
import SQLKit

/// The system administrator edits the text of every notice (mail subject, mail body, SMS), previews it on
/// sample values or a real dossier, and reads the versions saved before.
struct NoticeTemplateController: Sendable {
    let store: NoticeTemplateStore
    let database: any Database
    let renderer: HTMLRenderer
    let publicURL: String

    func addRoutes(to router: Router<AppRequestContext>) {
        let admin = router.group("quan-tri/mau-thong-bao", context: AuthenticatedContext.self)
        admin.get(use: list)
        admin.get("{kind}", use: page)
        admin.post("{kind}", use: save)
        admin.post("{kind}/mac-dinh", use: restoreDefault)
    }

    private func checkAdministrator(_ context: AuthenticatedContext) throws {
        guard context.user.role == .systemAdmin else {
            throw PortalError(status: .forbidden, message: "Chỉ quản trị hệ thống mới sửa được mẫu thông báo.")
        }
    }

    private func kind(_ context: AuthenticatedContext) throws -> NoticeKind {
        guard let kind = context.parameters.get("kind").flatMap(NoticeKind.init(slug:)) else {
            throw PortalError(status: .notFound, message: "Không có mẫu thông báo này.")
        }
        return kind
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        try checkAdministrator(context)
        let edited = try await store.edited()
        let rows = NoticeKind.allCases.map { kind in
            NoticeTemplateRow(
                slug: kind.slug, label: kind.label, recipient: kind.recipientLabel,
                edited: edited[kind].map { "\(VietnameseFormat.dateTime($0.createdAt)), \($0.createdBy ?? "—")" } ?? "Mẫu mặc định")
        }
        return try renderer.render(NoticeTemplatesPage(
            chrome: PageChrome(title: "Mẫu thông báo", section: .noticeTemplates, context: context), rows: rows))
    }

    @Sendable func page(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        try checkAdministrator(context)
        let kind = try kind(context)
        let template = try await store.current(kind)?.template ?? NoticeDefaults.template(kind)
        let code = (request.queryValues["ma"] ?? "").trimmingCharacters(in: .whitespaces)
        let saved = request.queryValues["thong-bao"] == "da-luu" ? "Đã lưu mẫu thông báo. Thông báo gửi từ bây giờ dùng nội dung mới." : nil
        return try await render(kind, template, previewCode: code, context: context, notice: saved)
    }

    /// Saves (`intent=save`) or only previews (`intent=preview`) the typed texts; a wrong text is refused
    /// with its field marked and nothing saved.
    @Sendable func save(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try checkAdministrator(context)
        let kind = try kind(context)
        let form = try await request.decodeForm(NoticeTemplateForm.self)
        let template = NoticeTemplate(
            mailSubject: (form.mailSubject ?? "").trimmingCharacters(in: .whitespaces),
            mailBody: Self.normalizedLines(form.mailBody ?? ""),
            smsText: Self.normalizedLines(form.smsText ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        let code = (form.previewCode ?? "").trimmingCharacters(in: .whitespaces)
        if let invalid = template.problem(for: kind) {
            return try await render(kind, template, previewCode: code, context: context, invalid: invalid, status: .unprocessableContent)
                .response(from: request, context: context)
        }
        guard form.intent != "preview" else {
            return try await render(kind, template, previewCode: code, context: context).response(from: request, context: context)
        }
        try await store.save(template, for: kind, by: context.user.id)
        return Response(status: .seeOther, headers: [.location: "/quan-tri/mau-thong-bao/\(kind.slug)?thong-bao=da-luu"])
    }

    @Sendable func restoreDefault(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try checkAdministrator(context)
        let kind = try kind(context)
        try await store.save(NoticeDefaults.template(kind), for: kind, by: context.user.id)
        return Response(status: .seeOther, headers: [.location: "/quan-tri/mau-thong-bao/\(kind.slug)?thong-bao=da-luu"])
    }

    private func render(
        _ kind: NoticeKind, _ template: NoticeTemplate, previewCode: String, context: AuthenticatedContext,
        invalid: NoticeTemplate.Invalid? = nil, notice: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        var problem = invalid.map { "Chưa lưu: \($0.message)" }
        var preview: NoticePreview?
        if invalid == nil, let compiled = try? template.compiled(for: kind) {
            let (values, source, missing) = try await previewValues(kind, code: previewCode)
            if let missing { problem = missing }
            let sms = compiled.smsText(values)
            preview = NoticePreview(
                source: source, subject: compiled.subject.rendered(values), body: compiled.body.rendered(values),
                sms: sms.isEmpty ? "(Thông báo này không gửi SMS.)" : sms,
                smsLength: sms.isEmpty ? "" : "\(SMSText.units(sms)) ký tự, \(SMSText.segments(sms)) tin"
                    + (SMSText.isGSM(sms) ? " (không dấu: 160 ký tự/tin)" : " (có dấu: 70 ký tự/tin, 67 khi ghép nhiều tin)"))
        }
        let history = try await store.history(kind).map {
            NoticeHistoryRow(at: VietnameseFormat.dateTime($0.createdAt), by: $0.createdBy ?? "—", subject: $0.template.mailSubject,
                             body: $0.template.mailBody, sms: $0.template.smsText)
        }
        return try renderer.render(NoticeTemplatePage(
            chrome: PageChrome(title: "Mẫu thông báo: \(kind.label)", section: .noticeTemplates, context: context),
            csrfToken: context.csrfToken, slug: kind.slug, label: kind.label, recipient: kind.recipientLabel,
            mailSubject: template.mailSubject, mailBody: template.mailBody, smsText: template.smsText,
            placeholders: kind.placeholders.map { PlaceholderRow(tag: "{{\($0.name)}}", meaning: $0.meaning) },
            previewCode: previewCode, preview: preview, history: history, hasHistory: !history.isEmpty,
            problem: problem, notice: notice,
            subjectError: invalid?.field == .mailSubject ? invalid?.message : nil,
            bodyError: invalid?.field == .mailBody ? invalid?.message : nil,
            smsError: invalid?.field == .smsText ? invalid?.message : nil), status: status)
    }

    /// The values of a real dossier when `code` names one, else the samples; with a message when the code names none.
    private func previewValues(_ kind: NoticeKind, code: String) async throws -> (values: [String: String], source: String, missing: String?) {
        let samples = Dictionary(uniqueKeysWithValues: kind.placeholders.map { ($0.name, $0.sample) })
        guard !code.isEmpty, !kind.forAccount else { return (samples, "dữ liệu mẫu", nil) }
        let found = try await database.read { db -> (Dossier, User, String?)? in
            guard let id = try await db.raw("SELECT id FROM dossiers WHERE code = \(bind: code)").first()?.decode(column: "id", as: Int64.self),
                  let dossier = try await DossierStore.dossier(id: id, in: db),
                  let applicant = try await UserStore.user(id: dossier.applicantID, in: db)
            else { return nil }
            let actions = DossierAction.allCases.filter { NoticeKind(after: $0) == kind }.map(\.rawValue)
            let note = actions.isEmpty ? nil : try await db.raw("""
                SELECT note FROM dossier_events WHERE dossier_id = \(bind: id) AND action IN (\(binds: actions)) ORDER BY id DESC LIMIT 1
                """).first()?.decode(column: "note", as: String?.self)
            return (dossier, applicant, note)
        }
        guard let (dossier, applicant, note) = found else {
            return (samples, "dữ liệu mẫu", "Không tìm thấy hồ sơ mã \(code); bản xem trước dùng dữ liệu mẫu.")
        }
        var values = kind.forStaff
            ? DueSweep.values(
                recipient: dossier.progress.holderUserName ?? NoticePlaceholder.recipientName.sample, code: dossier.code ?? "",
                procedure: dossier.procedureName,
                due: kind == .stepDueSoon || kind == .stepOverdue ? dossier.progress.stepDueAt : dossier.dueAt,
                dossierID: dossier.id, publicURL: publicURL)
            : ApplicantNotice.values(dossier, applicant: applicant, note: note ?? "", publicURL: publicURL)
        if (note ?? "").isEmpty, !kind.forStaff { values[NoticePlaceholder.reason.name] = NoticePlaceholder.reason.sample }
        return (values, "hồ sơ \(dossier.code ?? code)", nil)
    }

    /// Browsers send CRLF in a textarea; the mail is written with LF.
    private static func normalizedLines(_ text: String) -> String {
        text.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
    }
}

/// The template form as posted: the three texts, the dossier code to preview with, and which button.
struct NoticeTemplateForm: Decodable {
    var mailSubject: String?
    var mailBody: String?
    var smsText: String?
    var previewCode: String?
    /// "save" or "preview".
    var intent: String?

    enum CodingKeys: String, CodingKey {
        case intent
        case mailSubject = "mail_subject"
        case mailBody = "mail_body"
        case smsText = "sms_text"
        case previewCode = "ma"
    }
}
