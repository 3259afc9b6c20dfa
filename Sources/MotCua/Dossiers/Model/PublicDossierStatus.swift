import Foundation

/// What anyone may see of a dossier by its code: no personal data.
public struct PublicDossierStatus: Sendable, Equatable, Codable {
    public var code: String
    public var procedureName: String
    public var agencyName: String
    public var status: DossierStatus
    public var statusLabel: String
    public var submittedAt: Int64?
    public var dueAt: Int64?
    /// The agency apologised for a delay and gave the appointment anew (mẫu 04); the reason stays private.
    public var rescheduled: Bool = false
}
