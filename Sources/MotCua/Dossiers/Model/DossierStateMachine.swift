

/// The one place that decides dossier status changes: pure, so every path (pages, API, back office)
/// goes through the same rules. Persistence applies the returned status; nothing sets it otherwise.
public enum DossierStateMachine {
    public enum Refusal: Error, Equatable, Sendable {
        /// The action is not possible in the current status.
        case notAllowedInStatus(DossierStatus, DossierAction)
        /// The action is possible, but not for this actor.
        case notPermitted(DossierAction)

        public var message: String {
            switch self {
            case .notAllowedInStatus(let status, _):
                "Không thực hiện được thao tác này khi hồ sơ đang ở trạng thái \"\(status.label)\"."
            case .notPermitted:
                "Bạn không có quyền thực hiện thao tác này với hồ sơ."
            }
        }
    }

    private enum Who: Sendable {
        case applicant
        case staff(Set<StaffRole>)

        func includes(_ actor: DossierActor) -> Bool {
            switch (self, actor) {
            case (.applicant, .applicant): true
            case (.staff(let roles), .staff(let role)): roles.contains(role)
            default: false
            }
        }
    }

    private struct Rule: Sendable {
        let from: Set<DossierStatus>
        let to: DossierStatus
        let allowed: Who
    }

    private static let applicantOnly = Who.applicant
    private static func staff(_ roles: StaffRole...) -> Who { .staff(Set(roles)) }

    private static let rules: [DossierAction: Rule] = [
        .submit: Rule(from: [.draft], to: .registered, allowed: applicantOnly),
        // The applicant may withdraw until the desk has accepted the dossier.
        .withdraw: Rule(from: [.registered, .supplementRequested, .feeRequested], to: .withdrawn, allowed: applicantOnly),
        .supplement: Rule(from: [.supplementRequested], to: .registered, allowed: applicantOnly),
        .pay: Rule(from: [.feeRequested], to: .registered, allowed: applicantOnly),
        .accept: Rule(from: [.registered], to: .accepted, allowed: staff(.receptionist)),
        .refuse: Rule(from: [.registered], to: .refused, allowed: staff(.receptionist)),
        .requestSupplement: Rule(from: [.registered], to: .supplementRequested, allowed: staff(.receptionist)),
        .requestFee: Rule(from: [.registered], to: .feeRequested, allowed: staff(.receptionist)),
        .startProcessing: Rule(from: [.accepted], to: .processing, allowed: staff(.processor)),
        .stop: Rule(from: [.accepted, .processing], to: .stopped, allowed: staff(.leader)),
        .finish: Rule(from: [.processing], to: .finished, allowed: staff(.leader)),
        .returnResult: Rule(from: [.finished], to: .returned, allowed: staff(.receptionist)),
    ]

    /// The status after `action` by `actor`, or why it cannot happen.
    public static func transition(from status: DossierStatus, action: DossierAction, by actor: DossierActor) -> Result<DossierStatus, Refusal> {
        guard let rule = rules[action], rule.from.contains(status) else {
            return .failure(.notAllowedInStatus(status, action))
        }
        guard rule.allowed.includes(actor) else { return .failure(.notPermitted(action)) }
        return .success(rule.to)
    }

    /// Actions `actor` may take now, for showing buttons.
    public static func availableActions(in status: DossierStatus, for actor: DossierActor) -> [DossierAction] {
        DossierAction.allCases.filter { (try? transition(from: status, action: $0, by: actor).get()) != nil }
    }
}

extension DossierStateMachine {
    /// The status after `action` by `actor`, or the refusal as a `DossierError` (409 or 403).
    static func next(_ status: DossierStatus, _ action: DossierAction, by actor: DossierActor) throws(DossierError) -> DossierStatus {
        switch transition(from: status, action: action, by: actor) {
        case .success(let next): return next
        case .failure(let refusal):
            switch refusal {
            case .notAllowedInStatus: throw .conflict(refusal.message)
            case .notPermitted: throw .forbidden(refusal.message)
            }
        }
    }
}
