import Foundation
import Hummingbird

/// A row of "my dossiers" (`JSONList`).
struct DossierSummaryDTO: Codable, Hashable, Sendable {
    var id: Int64
    var code: String?
    var procedureName: String
    var agencyName: String
    var status: Int
    var statusLabel: String
    var createdAt: Int64
    var submittedAt: Int64?
    var dueAt: Int64?

    init(_ d: DossierSummary) {
        id = d.id; code = d.code; procedureName = d.procedureName; agencyName = d.agencyName
        status = d.status.rawValue; statusLabel = d.status.label; createdAt = d.createdAt
        submittedAt = d.submittedAt; dueAt = d.dueAt
    }

    /// By bytes, for `FragmentCache` (see `ByteKey`).
    static func == (l: Self, r: Self) -> Bool {
        l.id == r.id && ByteKey.same(l.code, r.code) && ByteKey.same(l.procedureName, r.procedureName)
            && ByteKey.same(l.agencyName, r.agencyName) && l.status == r.status && ByteKey.same(l.statusLabel, r.statusLabel)
            && l.createdAt == r.createdAt && l.submittedAt == r.submittedAt && l.dueAt == r.dueAt
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(id); hasher.combineBytes(of: code); hasher.combineBytes(of: procedureName); hasher.combineBytes(of: agencyName)
        hasher.combine(status); hasher.combineBytes(of: statusLabel); hasher.combine(createdAt); hasher.combine(submittedAt)
        hasher.combine(dueAt)
    }
}

struct AttachmentDTO: ResponseCodable, Sendable {
    var documentPosition: Int
    var sha256: String
    var size: Int64
    var contentType: String
    var displayName: String
}

struct DossierDTO: ResponseCodable, Sendable {
    struct File: Codable, Sendable {
        var id: Int64
        var documentPosition: Int
        var displayName: String
        var contentType: String
        var size: Int64
        var kind: AttachmentKind
        var downloadUrl: String
    }
    struct Event: Codable, Sendable {
        var at: Int64
        var actorName: String?
        var action: DossierAction
        var fromStatus: Int
        var toStatus: Int
        var note: String
    }

    var id: Int64
    var code: String?
    var agencyCode: String
    var procedureCode: String
    var procedureName: String
    var status: Int
    var statusLabel: String
    var requestSummary: String
    var values: [String: String]
    var deliveryMethod: DeliveryMethod?
    var deliveryAddress: String?
    var createdAt: Int64
    var submittedAt: Int64?
    var dueAt: Int64?
    var deskNote: String
    var files: [File]
    var history: [Event]

    /// `filesBase` is where the files of this answer are downloaded: the applicant's or the staff's API.
    init(_ d: Dossier, attachments: [DossierAttachment], events: [DossierEvent], filesBase: String? = nil) {
        id = d.id; code = d.code; agencyCode = d.agencyCode; procedureCode = d.procedureCode; procedureName = d.procedureName
        status = d.status.rawValue; statusLabel = d.status.label; requestSummary = d.requestSummary; values = d.formValues
        deliveryMethod = d.deliveryMethod; deliveryAddress = d.deliveryAddress; createdAt = d.createdAt
        submittedAt = d.submittedAt; dueAt = d.dueAt; deskNote = d.deskNote
        let base = filesBase ?? "/api/v1/dossiers/\(d.id)/attachments"
        files = attachments.map {
            File(id: $0.id, documentPosition: $0.kind == .applicant ? $0.documentPosition + 1 : 0, displayName: $0.displayName,
                 contentType: $0.contentType, size: $0.size, kind: $0.kind, downloadUrl: "\(base)/\($0.id)")
        }
        history = events.map {
            Event(at: $0.at, actorName: $0.actorName, action: $0.action, fromStatus: $0.from.rawValue, toStatus: $0.to.rawValue, note: $0.note)
        }
    }
}
