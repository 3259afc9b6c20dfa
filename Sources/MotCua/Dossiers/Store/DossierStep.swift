/// One status change as the store applies it: the action, who takes it, the note recorded in the
/// history, and the moment.
struct DossierStep: Sendable {
    var action: DossierAction
    var actor: DossierActor
    /// The account that acts; nil for the system.
    var actorID: Int64?
    var note: String = ""
    var at: Int64 = Clock.nowMilliseconds()
}

/// Columns a step sets besides the status (nil leaves a column as it is).
struct DossierChanges: Sendable {
    var code: String?
    var submittedAt: Int64?
    var acceptedAt: Int64?
    var dueAt: Int64?
    var finishedAt: Int64?
    var returnedAt: Int64?
    var deskNote: String?
}
