
/// The one place that decides dossier status changes: pure, so every path (pages, API, back office)
/// goes through the same rules. Persistence applies the returned status; nothing sets it otherwise.
/// Steps within processing (forward, assign, send back, apologize) keep the status; who may take them on a
/// given dossier (its current holder, the unit head) is `ProcessingPolicy`'s question, asked in the same
/// transaction.
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

    /// What the rules need to know of a dossier besides its status.
    public struct State: Sendable, Equatable {
        public var status: DossierStatus
        /// The desk has accepted it (its appointment clock has started).
        public var accepted: Bool
        /// Submitting it charges fees (the procedure's fixed fees): it waits for payment before the desk.
        public var feeDue: Bool

        public init(_ status: DossierStatus, accepted: Bool = false, feeDue: Bool = false) {
            self.status = status
            self.accepted = accepted
            self.feeDue = feeDue
        }
    }

    private enum Who: Sendable {
        case applicant
        case staff(Set<StaffRole>)
        case staffOrApplicant(Set<StaffRole>)

        func includes(_ actor: DossierActor) -> Bool {
            switch (self, actor) {
            case (.applicant, .applicant), (.staffOrApplicant, .applicant): true
            case (.staff(let roles), .staff(let role)), (.staffOrApplicant(let roles), .staff(let role)): roles.contains(role)
            default: false
            }
        }
    }

    private struct Rule: Sendable {
        let from: Set<DossierStatus>
        /// nil keeps the status.
        let to: DossierStatus?
        let allowed: Who
        /// When set, the rule holds only for dossiers accepted (true) or not yet accepted (false).
        var accepted: Bool? = nil
        /// When set, the rule holds only when a fee is (true) or is not (false) due on submission.
        var feeDue: Bool? = nil
    }

    private static let applicantOnly = Who.applicant
    private static func staff(_ roles: StaffRole...) -> Who { .staff(Set(roles)) }
    private static let processing: Set<DossierStatus> = [.accepted, .processing]

    private static let rules: [DossierAction: [Rule]] = [
        // With fees due at submission, a submitted dossier waits for payment (status 6) before the desk sees it.
        .submit: [
            Rule(from: [.draft], to: .registered, allowed: applicantOnly, feeDue: false),
            Rule(from: [.draft], to: .feeRequested, allowed: applicantOnly, feeDue: true),
        ],
        .register: [Rule(from: [.draft], to: .registered, allowed: staff(.receptionist))],
        // The applicant may withdraw until the desk has accepted the dossier.
        .withdraw: [Rule(from: [.registered, .supplementRequested, .feeRequested], to: .withdrawn, allowed: applicantOnly, accepted: false)],
        // A supplement answers the request: back to the desk before acceptance, back to processing after.
        // (The desk answers for applicants of paper dossiers, who have no account: `ProcessingPolicy`.)
        .supplement: [
            Rule(from: [.supplementRequested], to: .registered, allowed: .staff([.receptionist]), accepted: false),
            Rule(from: [.supplementRequested], to: .processing, allowed: .staff([.receptionist]), accepted: true),
            Rule(from: [.supplementRequested], to: .registered, allowed: applicantOnly, accepted: false),
            Rule(from: [.supplementRequested], to: .processing, allowed: applicantOnly, accepted: true),
        ],
        // Paid: online (the gateway's notification, on the applicant's behalf) or confirmed by the desk (a bank
        // transfer, cash at the desk). Back to the desk's queue.
        .pay: [Rule(from: [.feeRequested], to: .registered, allowed: .staffOrApplicant([.receptionist]))],
        .accept: [Rule(from: [.registered], to: .accepted, allowed: staff(.receptionist))],
        .refuse: [Rule(from: [.registered], to: .refused, allowed: staff(.receptionist))],
        .requestSupplement: [
            Rule(from: [.registered], to: .supplementRequested, allowed: staff(.receptionist)),
            Rule(from: [.processing], to: .supplementRequested, allowed: staff(.processor, .leader)),
        ],
        .requestFee: [Rule(from: [.registered], to: .feeRequested, allowed: staff(.receptionist))],
        .forward: [Rule(from: processing, to: .processing, allowed: staff(.receptionist, .processor, .leader))],
        .assign: [Rule(from: [.processing], to: nil, allowed: staff(.processor, .leader))],
        .sendBack: [Rule(from: [.processing], to: nil, allowed: staff(.processor, .leader))],
        .apologize: [Rule(from: [.accepted, .processing, .supplementRequested], to: nil, allowed: staff(.receptionist), accepted: true)],
        .stop: [Rule(from: processing, to: .stopped, allowed: staff(.leader))],
        .finish: [Rule(from: [.processing], to: .finished, allowed: staff(.leader))],
        .returnResult: [Rule(from: [.finished], to: .returned, allowed: staff(.receptionist))],
    ]

    /// The status after `action` by `actor`, or why it cannot happen.
    public static func transition(from state: State, action: DossierAction, by actor: DossierActor) -> Result<DossierStatus, Refusal> {
        let candidates = (rules[action] ?? []).filter {
            $0.from.contains(state.status) && ($0.accepted ?? state.accepted) == state.accepted
                && ($0.feeDue ?? state.feeDue) == state.feeDue
        }
        guard !candidates.isEmpty else { return .failure(.notAllowedInStatus(state.status, action)) }
        guard let rule = candidates.first(where: { $0.allowed.includes(actor) }) else { return .failure(.notPermitted(action)) }
        return .success(rule.to ?? state.status)
    }

    /// The status after `action` on a dossier never accepted (the applicant's and the desk's first steps).
    public static func transition(from status: DossierStatus, action: DossierAction, by actor: DossierActor) -> Result<DossierStatus, Refusal> {
        transition(from: State(status, accepted: false), action: action, by: actor)
    }

    /// Actions `actor` may take now, for showing buttons.
    public static func availableActions(in state: State, for actor: DossierActor) -> [DossierAction] {
        DossierAction.allCases.filter { (try? transition(from: state, action: $0, by: actor).get()) != nil }
    }
}

extension DossierStateMachine {
    /// The status after `action` by `actor`, or the refusal as a `DossierError` (409 or 403).
    static func next(_ state: State, _ action: DossierAction, by actor: DossierActor) throws(DossierError) -> DossierStatus {
        switch transition(from: state, action: action, by: actor) {
        case .success(let next): return next
        case .failure(let refusal):
            switch refusal {
            case .notAllowedInStatus: throw .conflict(refusal.message)
            case .notPermitted: throw .forbidden(refusal.message)
            }
        }
    }
}
