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
        (.processing, .finish, .staff(.leader), .finished),
        (.processing, .stop, .staff(.leader), .stopped),
        (.finished, .returnResult, .staff(.receptionist), .returned),
    ])
    func allowed(from: DossierStatus, action: DossierAction, actor: DossierActor, to: DossierStatus) {
        #expect(DossierStateMachine.transition(from: from, action: action, by: actor) == .success(to))
    }

    @Test("Steps of processing: the desk forwards an accepted dossier, processors and leaders hand it on, assign and send back in place")
    func processing() {
        let accepted = DossierStateMachine.State(.accepted, accepted: true)
        let processing = DossierStateMachine.State(.processing, accepted: true)
        #expect(DossierStateMachine.transition(from: accepted, action: .forward, by: .staff(.receptionist)) == .success(.processing))
        #expect(DossierStateMachine.transition(from: processing, action: .forward, by: .staff(.processor)) == .success(.processing))
        #expect(DossierStateMachine.transition(from: processing, action: .assign, by: .staff(.leader)) == .success(.processing))
        #expect(DossierStateMachine.transition(from: processing, action: .sendBack, by: .staff(.leader)) == .success(.processing))
        #expect(DossierStateMachine.transition(from: processing, action: .assign, by: .staff(.receptionist)) == .failure(.notPermitted(.assign)))
        // A supplement asked during processing answers back into processing; before acceptance, back to the desk.
        #expect(DossierStateMachine.transition(from: processing, action: .requestSupplement, by: .staff(.processor))
            == .success(.supplementRequested))
        #expect(DossierStateMachine.transition(from: .init(.supplementRequested, accepted: true), action: .supplement, by: .applicant)
            == .success(.processing))
        #expect(DossierStateMachine.transition(from: .init(.supplementRequested, accepted: false), action: .supplement, by: .applicant)
            == .success(.registered))
        // Once accepted, the applicant can no longer withdraw, even while asked for a supplement.
        #expect(DossierStateMachine.transition(from: .init(.supplementRequested, accepted: true), action: .withdraw, by: .applicant)
            == .failure(.notAllowedInStatus(.supplementRequested, .withdraw)))
        // The desk apologises for an accepted dossier, never for one not yet accepted.
        #expect(DossierStateMachine.transition(from: processing, action: .apologize, by: .staff(.receptionist)) == .success(.processing))
        #expect(DossierStateMachine.transition(from: .registered, action: .apologize, by: .staff(.receptionist))
            == .failure(.notAllowedInStatus(.registered, .apologize)))
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
            let any = actors.contains { !DossierStateMachine.availableActions(in: .init(status), for: $0).isEmpty }
            #expect(any == !final.contains(status), "\(status)")
        }
    }
}
