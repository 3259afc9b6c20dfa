/// One status change as the store applies it: the action, who takes it, the note recorded in the
/// history, and the moment.
struct DossierStep: Sendable {
    var action: DossierAction
    var actor: DossierActor
    /// The account that acts; nil for the system.
    var actorID: Int64?
    var note: String = ""
    var at: Int64 = Clock.nowMilliseconds()
    /// Submitting or registering charges fees now (the state machine's `feeDue`).
    var feeDue = false
}

/// Columns and rows a step writes besides the status (nil leaves them as they are).
struct DossierChanges: Sendable {
    var code: String?
    var submittedAt: Int64?
    var acceptedAt: Int64?
    var dueAt: Int64?
    var finishedAt: Int64?
    var returnedAt: Int64?
    var deskNote: String?
    var applicantName: String?
    var applicantIDNumber: String?
    /// The whole progress (step, holder, step times, clock, due states) as it is after the step.
    var progress: DossierProgress?
    /// Ends the open hand-over row (the step the dossier leaves) at this moment, judged against its due moment.
    var closeHandoverAt: Int64?
    /// Gives the open hand-over row to the person the step was assigned to.
    var assignOpenHandoverTo: Int64?
    /// Starts the row of the step the dossier arrives at.
    var openHandover: NewHandover?
    var apology: NewApology?
    /// How the result was handed over (returning it).
    var delivery: ResultDelivery?
    /// A charge the step opens (fees due at submission, a fee the desk requests).
    var charge: NewCharge?
}

struct NewCharge: Sendable {
    var amount: Money
    var reason: String
    var source: ChargeSource
    var requestedBy: Int64?
}

struct NewHandover: Sendable {
    var position: Int
    var stepName: String
    var unitID: Int64?
    var handedBy: Int64?
    var receivedBy: Int64?
    var receivedAt: Int64
    var dueAt: Int64
    var note: String = ""
}

struct NewApology: Sendable {
    var byUserID: Int64
    var reason: String
    var previousDueAt: Int64
    var newDueAt: Int64
}
