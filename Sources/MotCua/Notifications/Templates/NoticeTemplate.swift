import Foundation

/// The texts of one notice: the mail's subject and body and the SMS (empty: no SMS for this notice).
struct NoticeTemplate: Sendable, Equatable {
    var mailSubject: String
    var mailBody: String
    var smsText: String

    /// A template as the administrator typed it, checked: which field is wrong and why, in Vietnamese.
    struct Invalid: Error, Equatable {
        var field: Field
        var message: String
    }

    enum Field: String, Sendable {
        case mailSubject = "mail_subject"
        case mailBody = "mail_body"
        case smsText = "sms_text"

        var label: String {
            switch self {
            case .mailSubject: "Tiêu đề thư"
            case .mailBody: "Nội dung thư"
            case .smsText: "Nội dung SMS"
            }
        }
    }

    /// What is wrong with the template, or nil when it can be saved.
    func problem(for kind: NoticeKind) -> Invalid? {
        do {
            _ = try compiled(for: kind)
            return nil
        } catch {
            return error
        }
    }

    /// The parsed texts, ready to render; throws `Invalid` for a broken tag, an unknown placeholder, an
    /// empty or over-long field, or an SMS that takes more than three segments with the sample values.
    func compiled(for kind: NoticeKind) throws(Invalid) -> CompiledNoticeTemplate {
        let allowed = Set(kind.placeholders.map(\.name))
        func parse(_ text: String, _ field: Field, maxLength: Int, required: Bool) throws(Invalid) -> PlaceholderText {
            if required && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw Invalid(field: field, message: "\(field.label) không được để trống.")
            }
            if text.count > maxLength { throw Invalid(field: field, message: "\(field.label) dài quá \(maxLength) ký tự.") }
            do {
                return try PlaceholderText(text, allowed: allowed)
            } catch {
                switch error {
                case .brokenTag(let excerpt):
                    throw Invalid(field: field, message: "\(field.label) có thẻ thay thế bị hỏng gần “\(excerpt)”. Mỗi thẻ có dạng {{ten_the}}.")
                case .unknownPlaceholder(let name):
                    throw Invalid(field: field, message: "\(field.label) dùng thẻ {{\(name)}} không có trong danh sách thẻ của thông báo này.")
                }
            }
        }
        let compiled = CompiledNoticeTemplate(
            subject: try parse(mailSubject, .mailSubject, maxLength: 200, required: true),
            body: try parse(mailBody, .mailBody, maxLength: 10_000, required: true),
            sms: try parse(smsText, .smsText, maxLength: 1_000, required: false))
        for placeholder in kind.requiredInBody where !compiled.body.pieces.contains(.placeholder(placeholder.name)) {
            throw Invalid(field: .mailBody, message: "Nội dung thư phải có thẻ {{\(placeholder.name)}} (\(placeholder.meaning.lowercased())).")
        }
        if mailSubject.contains(where: \.isNewline) {
            throw Invalid(field: .mailSubject, message: "Tiêu đề thư phải nằm trên một dòng.")
        }
        let sample = compiled.smsText(Dictionary(uniqueKeysWithValues: kind.placeholders.map { ($0.name, $0.sample) }), fitted: false)
        let segments = SMSText.segments(sample)
        if segments > SMSText.maxSegments {
            throw Invalid(field: .smsText, message:
                "Nội dung SMS với dữ liệu mẫu dài \(segments) tin (\(SMSText.units(sample)) ký tự); tối đa \(SMSText.maxSegments) tin. Hãy rút gọn.")
        }
        return compiled
    }
}

/// A checked template: renders the mail and the SMS of one event from its values.
struct CompiledNoticeTemplate: Sendable, Equatable {
    var subject: PlaceholderText
    var body: PlaceholderText
    var sms: PlaceholderText

    /// The mail to `email` (when known) and the SMS to `phone` (when the template has one and the phone is a
    /// Vietnamese number): what one event tells one person.
    func notice(email: String?, phone: String, _ values: [String: String]) -> Notice {
        var notice = Notice(mail: email.map { mail(to: $0, values) })
        let text = smsText(values)
        if !text.isEmpty, SMSText.internationalNumber(phone) != nil { notice.sms = OutgoingSMS(to: phone, text: text) }
        return notice
    }

    func mail(to recipient: String, _ values: [String: String]) -> OutgoingMail {
        OutgoingMail(to: recipient, subject: subject.rendered(values), body: body.rendered(values))
    }

    /// The SMS text, cut to three segments unless `fitted` is false; empty when the notice has no SMS.
    func smsText(_ values: [String: String], fitted: Bool = true) -> String {
        let text = sms.rendered(values).trimmingCharacters(in: .whitespacesAndNewlines)
        return fitted ? SMSText.fitted(text) : text
    }
}
