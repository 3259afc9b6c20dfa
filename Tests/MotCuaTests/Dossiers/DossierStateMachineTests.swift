import Testing

@testable import MotCua

@Suite("Dossier state machine")
struct DossierStateMachineTests {
    @Test("The allowed transitions", arguments: [
        (DossierStatus.draft, DossierAction.submit, DossierActor.applicant, DossierStatus.registered),
        (.registered, .withdraw, .applicant, .withdrawn),
        (.supplementRequested, .withdraw, .applicant, .withdrawn),
        (.supplementRequested, .supplement, .applicant, .registered),
        (.feeRequested, .pay, .applicant, .registered),
        (.registered, .accept, .staff(.receptionist), .accepted),
        (.registered, .refuse, .staff(.receptionist), .refused),
        (.registered, .requestSupplement, .staff(.receptionist), .supplementRequested),
        (.accepted, .startProcessing, .staff(.processor), .processing),
        (.processing, .finish, .staff(.leader), .finished),
        (.processing, .stop, .staff(.leader), .stopped),
        (.finished, .returnResult, .staff(.receptionist), .returned),
    ])
    func allowed(from: DossierStatus, action: DossierAction, actor: DossierActor, to: DossierStatus) {
        #expect(DossierStateMachine.transition(from: from, action: action, by: actor) == .success(to))
    }

    @Test("Withdrawing an accepted dossier, or acting in the wrong role, is refused with a reason")
    func refused() {
        #expect(DossierStateMachine.transition(from: .accepted, action: .withdraw, by: .applicant)
            == .failure(.notAllowedInStatus(.accepted, .withdraw)))
        #expect(DossierStateMachine.transition(from: .registered, action: .accept, by: .applicant)
            == .failure(.notPermitted(.accept)))
        #expect(DossierStateMachine.transition(from: .registered, action: .accept, by: .staff(.leader))
            == .failure(.notPermitted(.accept)))
        #expect(DossierStateMachine.transition(from: .returned, action: .submit, by: .applicant)
            == .failure(.notAllowedInStatus(.returned, .submit)))
    }

    @Test("Every status but the final ones leads somewhere; final ones lead nowhere")
    func reachability() {
        let final: Set<DossierStatus> = [.refused, .withdrawn, .stopped, .returned]
        let actors: [DossierActor] = [.applicant] + StaffRole.allCases.map { .staff($0) }
        for status in DossierStatus.allCases {
            let any = actors.contains { !DossierStateMachine.availableActions(in: status, for: $0).isEmpty }
            #expect(any == !final.contains(status), "\(status)")
        }
    }
}
