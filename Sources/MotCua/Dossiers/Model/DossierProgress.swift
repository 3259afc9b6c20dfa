/// Where an accepted dossier is in its procedure's process: the step, the unit and person holding it, when
/// the step started and is due, and whether the clock is stopped (a supplement request during processing).
/// `revision` counts every write, so of two concurrent hand-overs of the same status exactly one wins.
struct DossierProgress: Sendable, Equatable {
    /// The procedure's process as it was at acceptance; empty before.
    var process: [ProcessStep] = []
    var position: Int?
    var holderUnitID: Int64?
    var holderUserID: Int64?
    var stepStartedAt: Int64?
    var stepDueAt: Int64?
    var pausedAt: Int64?
    var dueState: DueState = .inTime
    var stepDueState: DueState = .inTime
    var revision: Int = 0
    /// Read with the dossier for pages and checks; never written from here.
    var holderUnitName: String?
    var holderUnitHeadID: Int64?
    var holderUserName: String?

    var currentStep: ProcessStep? { position.flatMap { process.indices.contains($0) ? process[$0] : nil } }
    var isLastStep: Bool { position.map { $0 == process.count - 1 } ?? false }
    var nextStep: ProcessStep? { position.flatMap { process.indices.contains($0 + 1) ? process[$0 + 1] : nil } }
    var previousStep: ProcessStep? { position.flatMap { $0 > 0 && process.indices.contains($0 - 1) ? process[$0 - 1] : nil } }
    var isPaused: Bool { pausedAt != nil }
}

/// How close a step or a dossier is to its due moment, as the due sweep last judged it.
enum DueState: Int, Sendable, Codable, Comparable {
    case inTime = 0
    case dueSoon = 1
    case overdue = 2

    static func < (l: DueState, r: DueState) -> Bool { l.rawValue < r.rawValue }

    var label: String {
        switch self {
        case .inTime: "Trong hạn"
        case .dueSoon: "Sắp đến hạn"
        case .overdue: "Quá hạn"
        }
    }
}

/// How a finished step compares with its due moment (the marks of the control slip, mẫu 05): done on a
/// day before the due day is early; by the due moment, on time; after it, late.
enum StepOutcome: String, Sendable, Codable {
    case early
    case onTime = "on_time"
    case late

    static func judge(finishedAt: Int64, dueAt: Int64) -> StepOutcome {
        if finishedAt > dueAt { return .late }
        return OfficeHours.split(finishedAt).day < OfficeHours.split(dueAt).day ? .early : .onTime
    }

    var label: String {
        switch self {
        case .early: "Trước hạn"
        case .onTime: "Đúng hạn"
        case .late: "Trễ hạn"
        }
    }
}

/// One step's stay with a unit (a row of the control slip): who handed it over, who received it, when it
/// arrived, when it was due, and when and how it left.
struct DossierHandover: Sendable, Equatable {
    var id: Int64
    var position: Int
    var stepName: String
    var unitName: String?
    var handedByName: String?
    var receivedByName: String?
    var receivedAt: Int64
    var dueAt: Int64
    var finishedAt: Int64?
    var outcome: StepOutcome?
    var note: String
}

/// The apology for a late dossier (mẫu 04): why, and the appointment before and after.
struct DossierApology: Sendable, Equatable {
    var at: Int64
    var byName: String?
    var reason: String
    var previousDueAt: Int64
    var newDueAt: Int64
}
