import Foundation
import Hummingbird

struct StaffDossierSummaryDTO: Codable, Sendable {
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

    init(_ d: DossierSummary, now: Int64) {
        id = d.id; code = d.code; procedureName = d.procedureName; applicantName = d.applicantName ?? ""
        status = d.status.rawValue; statusLabel = d.status.label; submittedAt = d.submittedAt; dueAt = d.dueAt
        overdue = d.isOverdue(now: now)
    }
}

struct StaffDossierListDTO: ResponseCodable, Sendable {
    var items: [StaffDossierSummaryDTO]
    /// Pass as `?cursor=` for the next page; absent on the last page.
    var nextCursor: String?
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

    enum CodingKeys: String, CodingKey { case applicant, availableActions }

    /// The dossier's own fields at the top level, with `applicant` and `availableActions` beside them.
    func encode(to encoder: any Encoder) throws {
        try dossier.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(applicant, forKey: .applicant)
        try container.encode(availableActions, forKey: .availableActions)
    }
}
