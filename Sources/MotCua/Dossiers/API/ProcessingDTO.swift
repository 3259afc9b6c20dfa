/// Where a dossier is in its process, for staff over the API.
struct ProgressDTO: Codable, Sendable {
    struct Step: Codable, Sendable {
        var name: String
        var unit: String
        var role: StaffRole
        var days: Double
    }

    var steps: [Step]
    var position: Int?
    var holderUnit: String?
    var holderUserId: Int64?
    var holderName: String?
    var stepStartedAt: Int64?
    var stepDueAt: Int64?
    /// Set while a supplement request has stopped the clock.
    var pausedAt: Int64?
    var dueState: String
    var stepDueState: String

    init(_ p: DossierProgress) {
        steps = p.process.map { Step(name: $0.name, unit: $0.unit, role: $0.role, days: Double($0.halfDays) / 2) }
        position = p.position; holderUnit = p.holderUnitName; holderUserId = p.holderUserID; holderName = p.holderUserName
        stepStartedAt = p.stepStartedAt; stepDueAt = p.stepDueAt; pausedAt = p.pausedAt
        dueState = DueStateDTO.name(p.dueState); stepDueState = DueStateDTO.name(p.stepDueState)
    }
}

enum DueStateDTO {
    static func name(_ state: DueState) -> String {
        switch state {
        case .inTime: "in_time"
        case .dueSoon: "due_soon"
        case .overdue: "overdue"
        }
    }
}

/// A row of the control slip (mẫu 05).
struct HandoverDTO: Codable, Sendable {
    var position: Int
    var stepName: String
    var unit: String?
    var handedBy: String?
    var receivedBy: String?
    var receivedAt: Int64
    var dueAt: Int64
    var finishedAt: Int64?
    /// early, on_time or late once the step is finished.
    var outcome: String?
    var note: String

    init(_ h: DossierHandover) {
        position = h.position; stepName = h.stepName; unit = h.unitName; handedBy = h.handedByName; receivedBy = h.receivedByName
        receivedAt = h.receivedAt; dueAt = h.dueAt; finishedAt = h.finishedAt; outcome = h.outcome?.rawValue; note = h.note
    }
}

struct ApologyDTO: Codable, Sendable {
    var at: Int64
    var reason: String
    var previousDueAt: Int64
    var newDueAt: Int64

    init(_ a: DossierApology) {
        at = a.at; reason = a.reason; previousDueAt = a.previousDueAt; newDueAt = a.newDueAt
    }
}
