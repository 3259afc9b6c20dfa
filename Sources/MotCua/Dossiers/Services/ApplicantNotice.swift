import Foundation
import SQLKit

/// What the applicant is told after a step (SPEC: "the applicant is told by email"): the mail, and an SMS
/// where their phone is known, from the notice's template in use.
enum ApplicantNotice {
    /// The notice of `action` on the saved dossier, written in the step's transaction `db`; nil for steps
    /// the applicant is not told about.
    static func after(
        _ action: DossierAction, dossier: Dossier, to applicant: User, note: String, publicURL: String, in db: any SQLDatabase
    ) async throws -> Notice? {
        // A submission that charges fees asks for them instead of announcing the desk.
        let kind = action == .submit && dossier.status == .feeRequested ? .feeRequested : NoticeKind(after: action)
        guard let kind else { return nil }
        let template = try await NoticeTemplateStore.compiled(kind, in: db)
        var values = values(dossier, applicant: applicant, note: note, publicURL: publicURL)
        if kind == .feeRequested, let charge = try await PaymentStore.payments(dossierID: dossier.id, in: db).openCharge {
            values[NoticePlaceholder.fee.name] = "\(charge.amount.formatted) (\(charge.reason))"
        }
        return template.notice(email: applicant.noticeEmail, phone: applicant.phone, values)
    }

    /// The values of the applicant notices' placeholders (`NoticePlaceholder.forApplicant`) for one dossier.
    static func values(_ dossier: Dossier, applicant: User, note: String, publicURL: String) -> [String: String] {
        let code = dossier.code ?? ""
        return [
            NoticePlaceholder.applicantName.name: applicant.displayName,
            NoticePlaceholder.code.name: code,
            NoticePlaceholder.procedure.name: dossier.procedureName,
            NoticePlaceholder.agency.name: dossier.agencyName,
            NoticePlaceholder.status.name: dossier.status.label,
            NoticePlaceholder.dueDate.name: dossier.dueAt.map(VietnameseFormat.dateTime) ?? "—",
            NoticePlaceholder.reason.name: note,
            NoticePlaceholder.deliveryMethod.name: dossier.deliveryMethod?.label ?? "Trực tuyến",
            NoticePlaceholder.dossierURL.name: "\(publicURL)/ho-so/\(dossier.id)",
            NoticePlaceholder.lookupURL.name: "\(publicURL)/tra-cuu?ma=\(code)",
            NoticePlaceholder.fee.name: "—",
        ]
    }
}
