import Foundation
import Hummingbird

/// A row of the agency's list (`JSONList`).
struct StaffDossierSummaryDTO: Codable, Hashable, Sendable {
    var id: Int64
    var code: String?
    var procedureName: String
    var applicantName: String
    var status: Int
    var statusLabel: String
    var submittedAt: Int64?
    var dueAt: Int64?
    /// Past the appointment date and not yet finished.
    var overdue: Bool
    var stepName: String?
    var holderName: String?
    var stepDueAt: Int64?
    var dueState: String
    var stepDueState: String

    init(_ d: DossierSummary, now: Int64) {
        id = d.id; code = d.code; procedureName = d.procedureName; applicantName = d.applicantName ?? ""
        status = d.status.rawValue; statusLabel = d.status.label; submittedAt = d.submittedAt; dueAt = d.dueAt
        overdue = d.isOverdue(now: now)
        stepName = d.stepName; holderName = d.holderName; stepDueAt = d.stepDueAt
        dueState = DueStateDTO.name(d.dueState); stepDueState = DueStateDTO.name(d.stepDueState)
    }

    /// By bytes, for `FragmentCache` (see `ByteKey`).
    static func == (l: Self, r: Self) -> Bool {
        l.id == r.id && ByteKey.same(l.code, r.code) && ByteKey.same(l.procedureName, r.procedureName)
            && ByteKey.same(l.applicantName, r.applicantName) && l.status == r.status && ByteKey.same(l.statusLabel, r.statusLabel)
            && l.submittedAt == r.submittedAt && l.dueAt == r.dueAt && l.overdue == r.overdue && ByteKey.same(l.stepName, r.stepName)
            && ByteKey.same(l.holderName, r.holderName) && l.stepDueAt == r.stepDueAt && ByteKey.same(l.dueState, r.dueState)
            && ByteKey.same(l.stepDueState, r.stepDueState)
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(id); hasher.combineBytes(of: code); hasher.combineBytes(of: procedureName); hasher.combineBytes(of: applicantName)
        hasher.combine(status); hasher.combineBytes(of: statusLabel); hasher.combine(submittedAt); hasher.combine(dueAt)
        hasher.combine(overdue); hasher.combineBytes(of: stepName); hasher.combineBytes(of: holderName); hasher.combine(stepDueAt)
        hasher.combineBytes(of: dueState); hasher.combineBytes(of: stepDueState)
    }
}

/// A dossier as staff see it: the applicant's dossier, who filed it, and what the caller may do next.
struct StaffDossierDTO: ResponseEncodable, Sendable {
    struct Applicant: Codable, Sendable {
        var name: String
        var email: String
        var phone: String
    }

    var dossier: DossierDTO
    var applicant: Applicant
    var availableActions: [DossierAction]
    var progress: ProgressDTO
    var handovers: [HandoverDTO]
    var apologies: [ApologyDTO]

    enum CodingKeys: String, CodingKey { case applicant, availableActions, progress, handovers, apologies }

    /// The dossier's own fields at the top level, with `applicant` and `availableActions` beside them.
    func encode(to encoder: any Encoder) throws {
        try dossier.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(applicant, forKey: .applicant)
        try container.encode(availableActions, forKey: .availableActions)
        try container.encode(progress, forKey: .progress)
        try container.encode(handovers, forKey: .handovers)
        try container.encode(apologies, forKey: .apologies)
    }
}

/// The caller's work lists and how many dossiers each holds.
struct StaffQueuesDTO: ResponseEncodable, Sendable {
    struct Queue: Codable, Sendable {
        var queue: String
        var label: String
        var count: Int?
    }

    var queues: [Queue]
}
