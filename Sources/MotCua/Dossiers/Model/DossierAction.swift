import Foundation

/// What can happen to a dossier.
public enum DossierAction: String, Sendable, Codable, CaseIterable {
    case submit, withdraw, supplement, pay
    /// The desk registers a dossier it received on paper or by post (channels 1 and 3), as `submit` online.
    case register
    case accept, refuse, requestSupplement, requestFee
    /// Hand the dossier on to the next step of its process (the desk to the first unit, a processor onwards).
    case forward
    /// A unit head (or a leader) gives the step to a processor of the unit.
    case assign
    /// A leader (or the holder of a later step) returns the dossier to the previous step, with a note.
    case sendBack
    /// The desk apologises for a dossier that will be late and gives a new appointment date (mẫu 04).
    case apologize
    case stop
    /// A leader approves the result: the dossier has its result and goes to the desk to be returned.
    case finish
    case returnResult
    /// The desk pays a receipt back (a refused, withdrawn or stopped dossier, or a fee paid twice): recorded in
    /// the history, with no status change and no rule of the state machine.
    case refund
}

/// Who acts on a dossier: its applicant, staff of the receiving agency in a role, or the system.
public enum DossierActor: Sendable, Equatable {
    case applicant
    case staff(StaffRole)
}
