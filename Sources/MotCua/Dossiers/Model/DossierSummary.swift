/// A dossier as lists show it: what a row needs, never the form data or the files.
struct DossierSummary: Sendable, Equatable {
    var id: Int64
    var code: String?
    var procedureName: String
    var agencyName: String
    var status: DossierStatus
    var createdAt: Int64
    var submittedAt: Int64?
    var dueAt: Int64?
    /// Filled in the agency's lists (who filed it); nil in the applicant's own list.
    var applicantName: String?
    /// The agency's lists also show where the dossier is: the step, who holds it, when the step is due.
    var stepName: String? = nil
    var holderName: String? = nil
    var stepDueAt: Int64? = nil
    var dueState: DueState = .inTime
    var stepDueState: DueState = .inTime

    /// Past the appointment date while the agency still holds it (the same rule as `Dossier.isOverdue`).
    func isOverdue(now: Int64) -> Bool { Dossier.isOverdue(status: status, dueAt: dueAt, now: now) }
}
