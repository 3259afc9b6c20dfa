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
        try await Outbox.enqueue(template.notice(email: user.email, phone: user.phone, values), in: db)
    }

    /// Someone registered with an address that has an account: its owner is told, with nothing about the account.
    static func enqueueAlreadyRegistered(to email: String, publicURL: String, in db: any SQLDatabase) async throws {
        let template = try await NoticeTemplateStore.compiled(.alreadyRegistered, in: db)
        try await Outbox.enqueue(template.mail(to: email, [NoticePlaceholder.forgotPasswordURL.name: "\(publicURL)/quen-mat-khau"]), in: db)
    }
}
