import Foundation
import SQLKit

/// The notices about an account (its address to verify, a password to reset or just changed), from their
/// templates, written in the caller's transaction.
enum AccountNotice {
    /// The notice of `kind` to the account's owner: the mail, and an SMS when the template has one and
    /// the account a phone number. `link` fills `{{duong_dan}}`.
    static func enqueue(_ kind: NoticeKind, to user: User, link: String = "", publicURL: String, in db: any SQLDatabase) async throws {
        let template = try await NoticeTemplateStore.compiled(kind, in: db)
        let values = [
            NoticePlaceholder.accountName.name: user.displayName,
            NoticePlaceholder.link.name: link,
            NoticePlaceholder.forgotPasswordURL.name: "\(publicURL)/quen-mat-khau",
        ]
        var notice = Notice(mail: template.mail(to: user.email, values))
        let text = template.smsText(values)
        if !text.isEmpty, SMSText.internationalNumber(user.phone) != nil { notice.sms = OutgoingSMS(to: user.phone, text: text) }
        try await Outbox.enqueue(notice, in: db)
    }

    /// Someone registered with an address that has an account: its owner is told, with nothing about the account.
    static func enqueueAlreadyRegistered(to email: String, publicURL: String, in db: any SQLDatabase) async throws {
        let template = try await NoticeTemplateStore.compiled(.alreadyRegistered, in: db)
        try await Outbox.enqueue(template.mail(to: email, [NoticePlaceholder.forgotPasswordURL.name: "\(publicURL)/quen-mat-khau"]), in: db)
    }
}
