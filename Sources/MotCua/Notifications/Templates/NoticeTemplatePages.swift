/// The list of notices, each with its template's last edit.
struct NoticeTemplatesPage: PageModel {
    static let template = "admin/notice-templates"
    var chrome: PageChrome
    var rows: [NoticeTemplateRow]
}

struct NoticeTemplateRow: Sendable, Encodable {
    var slug: String
    var label: String
    var recipient: String
    var edited: String
}

/// One notice's template: the form, its placeholders, a preview and the saved versions.
struct NoticeTemplatePage: PageModel {
    static let template = "admin/notice-template"
    var chrome: PageChrome
    var csrfToken: String
    var slug: String
    var label: String
    var recipient: String
    var mailSubject: String
    var mailBody: String
    var smsText: String
    var placeholders: [PlaceholderRow]
    /// The dossier code the preview used, as typed.
    var previewCode: String
    var preview: NoticePreview?
    var history: [NoticeHistoryRow]
    var hasHistory: Bool
    var problem: String?
    var notice: String?
    var subjectError: String?
    var bodyError: String?
    var smsError: String?
}

struct PlaceholderRow: Sendable, Encodable {
    var tag: String
    var meaning: String
}

struct NoticePreview: Sendable, Encodable {
    /// "Hồ sơ 000.00.12.H57-…" or "dữ liệu mẫu".
    var source: String
    var subject: String
    var body: String
    var sms: String
    var smsLength: String
}

struct NoticeHistoryRow: Sendable, Encodable {
    var at: String
    var by: String
    var subject: String
    var body: String
    var sms: String
}
