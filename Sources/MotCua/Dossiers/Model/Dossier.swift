import Foundation

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
    /// Who filed it as the agency's search finds them (copied at submission): name and citizen ID or tax code.
    public var applicantName: String = ""
    public var applicantIDNumber: String? = nil
    /// The step of the process it is at, and who holds it (after acceptance).
    var progress = DossierProgress()
}


extension Dossier {
    /// The applicant sees the agency's result files once a leader has approved them.
    var resultsVisibleToApplicant: Bool { [.finished, .returned].contains(status) }

    /// The applicant may add files to a draft, and to a dossier the desk sent back for supplement.
    var acceptsApplicantFiles: Bool { Self.statuses(accepting: .applicant).contains(status) }

    /// Result files are attached while the dossier is being processed.
    var acceptsResultFiles: Bool { Self.statuses(accepting: .result).contains(status) }

    /// The statuses in which files of `kind` may be added.
    static func statuses(accepting kind: AttachmentKind) -> Set<DossierStatus> {
        switch kind {
        case .applicant: [.draft, .supplementRequested]
        case .result: [.processing]
        }
    }

    /// Why files of `kind` cannot be added now.
    static func closedMessage(for kind: AttachmentKind) -> String {
        switch kind {
        case .applicant: "Chỉ thêm được tệp khi hồ sơ còn là bản nháp hoặc đang được yêu cầu bổ sung."
        case .result: "Chỉ tải lên kết quả khi hồ sơ đang được xử lý."
        }
    }

    /// Past the appointment date while the agency still holds it.
    func isOverdue(now: Int64) -> Bool { Self.isOverdue(status: status, dueAt: dueAt, now: now) }

    /// The overdue rule, for a dossier and for its list row alike.
    static func isOverdue(status: DossierStatus, dueAt: Int64?, now: Int64) -> Bool {
        guard let dueAt, [.accepted, .processing].contains(status) else { return false }
        return now > dueAt
    }

    /// What the state machine needs besides the status.
    var machineState: DossierStateMachine.State { .init(status, accepted: acceptedAt != nil) }

    /// Staff of the dossier's agency see it once submitted; online drafts are the applicant's own, while a
    /// draft the desk is registering from paper (channels 1 and 3) is the desk's.
    func isVisible(to staff: User) -> Bool {
        staff.worksOnDossiers && agencyCode == staff.agencyCode && (status != .draft || channel != .online)
    }
}
