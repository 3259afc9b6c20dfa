import Foundation

/// What can happen to a dossier.
public enum DossierAction: String, Sendable, Codable, CaseIterable {
    case submit, withdraw, supplement, pay
    case accept, refuse, requestSupplement, requestFee
    case startProcessing, stop, finish, returnResult
}

/// Who acts on a dossier: its applicant, or staff of the receiving agency in a role.
public enum DossierActor: Sendable, Equatable {
    case applicant
    case staff(StaffRole)
}
