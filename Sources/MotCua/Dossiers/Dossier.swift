import Foundation

/// How a dossier reached the agency (national portal channel codes).
public enum DossierChannel: Int, Sendable, Codable {
    case desk = 1
    case online = 2
    case post = 3
}

/// A dossier (hồ sơ): one applicant's request under one procedure of one agency.
public struct Dossier: Sendable, Equatable {
    public var id: Int64
    /// `<agency code>-<YYMMDD>-<NNNN>`, given at submission; nil for a draft.
    public var code: String?
    public var procedureID: Int64
    public var procedureCode: String
    public var procedureName: String
    public var agencyCode: String
    public var agencyName: String
    public var applicantID: Int64
    public var status: DossierStatus
    public var channel: DossierChannel
    public var requestSummary: String
    public var formValues: [String: String]
    public var deliveryMethod: DeliveryMethod?
    public var deliveryAddress: String?
    public var createdAt: Int64
    public var submittedAt: Int64?
    public var dueAt: Int64?
    public var acceptedAt: Int64?
    public var finishedAt: Int64?
    public var returnedAt: Int64?
    /// The desk's latest request (supplement) or reason (refusal, stop), shown to the applicant.
    public var deskNote: String
}

/// Whose file: the applicant's documents, or the agency's result.
public enum AttachmentKind: String, Sendable, Codable {
    case applicant
    case result
}

/// A file attached to one of the procedure's required documents.
public struct DossierAttachment: Sendable, Equatable {
    public var id: Int64
    public var documentPosition: Int
    public var sha256: String
    public var size: Int64
    public var contentType: String
    public var displayName: String
    public var kind: AttachmentKind
}

/// One entry of a dossier's history.
public struct DossierEvent: Sendable, Equatable {
    public var at: Int64
    public var actorID: Int64?
    public var actorName: String?
    public var action: String
    public var from: DossierStatus
    public var to: DossierStatus
    public var note: String
}

/// What anyone may see of a dossier by its code: no personal data.
public struct PublicDossierStatus: Sendable, Equatable, Codable {
    public var code: String
    public var procedureName: String
    public var agencyName: String
    public var status: DossierStatus
    public var statusLabel: String
    public var submittedAt: Int64?
    public var dueAt: Int64?
}

enum DossierCode {
    /// The day part of a code: the date in Vietnam (UTC+7), "yyMMdd".
    static func day(at date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%02d%02d%02d", parts.year! % 100, parts.month!, parts.day!)
    }

    static func make(agencyCode: String, day: String, sequence: Int) -> String {
        "\(agencyCode)-\(day)-\(String(format: "%04d", sequence))"
    }

    /// The shape of a code, checked before any lookup.
    static func isWellFormed(_ code: String) -> Bool {
        let parts = code.split(separator: "-")
        guard parts.count == 3, code.utf8.count <= 48 else { return false }
        return Identifiers.isAgencyCode(String(parts[0]))
            && parts[1].utf8.count == 6 && parts[1].utf8.allSatisfy { (0x30...0x39).contains($0) }
            && parts[2].utf8.count >= 4 && parts[2].utf8.allSatisfy { (0x30...0x39).contains($0) }
    }
}
