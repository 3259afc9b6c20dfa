import Foundation

/// One entry of a dossier's history.
public struct DossierEvent: Sendable, Equatable {
    public var at: Int64
    public var actorID: Int64?
    public var actorName: String?
    public var action: DossierAction
    public var from: DossierStatus
    public var to: DossierStatus
    public var note: String
}
