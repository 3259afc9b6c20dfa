import DequeModule
import Synchronization

/// Lets at most `limit` pieces of slow work (bcrypt) run at once, with at most `queueLimit` more waiting;
/// beyond that `enter` refuses at once, so a burst of slow requests cannot take every core from the
/// fast ones (the lookup, health checks) or pile up without bound.
final class WorkGate: Sendable {
    struct Full: Error {}

    private struct State {
        var running = 0
        var waiting = Deque<CheckedContinuation<Bool, Never>>()
    }

    private enum Decision { case go, refuse, wait }

    let limit: Int
    let queueLimit: Int
    private let state = Mutex(State())

    init(limit: Int, queueLimit: Int) {
        self.limit = max(1, limit)
        self.queueLimit = max(0, queueLimit)
    }

    /// Runs `body` when a place is free; throws `Full` when the queue is full.
    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let admitted = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let decision = state.withLock { state -> Decision in
                if state.running < limit {
                    state.running += 1
                    return .go
                }
                guard state.waiting.count < queueLimit else { return .refuse }
                state.waiting.append(continuation)
                return .wait
            }
            switch decision {
            case .go: continuation.resume(returning: true)
            case .refuse: continuation.resume(returning: false)
            case .wait: break
            }
        }
        guard admitted else { throw Full() }
        defer { leave() }
        return try await body()
    }

    /// Hands the place to the next waiter, or frees it.
    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            if let next = state.waiting.popFirst() { return next }
            state.running -= 1
            return nil
        }
        next?.resume(returning: true)
    }

    /// Running and waiting, for tests and metrics.
    var load: (running: Int, waiting: Int) { state.withLock { ($0.running, $0.waiting.count) } }
}
