/// What an officer sends with a step besides the action: the note (a reason, a request, an opinion), the
/// person to hand the dossier to or assign it to, and for an apology the new appointment date.
struct StaffActionInput: Sendable {
    var note: String = ""
    var toUserID: Int64?
    var newDueDate: CivilDate?
    /// Returning the result: who collected it at the desk and the ID checked, or the postal tracking number and day sent.
    var collectorName: String?
    var collectorIDNumber: String?
    var trackingNumber: String?
    var sentOn: CivilDate?
    /// Requesting a fee: the amount in đồng (the note says what it is for).
    var amount: Money?
}
