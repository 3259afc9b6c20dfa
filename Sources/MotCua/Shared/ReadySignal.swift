import Foundation
import ServiceLifecycle
import Synchronization

/// A one-time signal: `wait()` returns once `open()` has been called (at once if it already was), or when
/// the waiting task is cancelled.
///
/// The background services wait for the schema before their first round. If the start-up failed before
/// the signal opened (a migration that could not reach the database, say), the application shuts its
/// services down: a wait that ignored cancellation and shutdown kept that shutdown waiting for ever, and
/// the process (or a test) hung instead of reporting the failure.
final class ReadySignal: Sendable {
    private struct State {
        var open = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }
    private let state = Mutex(State())

    var isOpen: Bool { state.withLock { $0.open } }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns whether the signal is open: false when the task was cancelled first.
    @discardableResult
    func wait() async -> Bool {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // Checked under the lock: a cancellation that came before the waiter was added finds nothing
                // to resume, so the waiter must see it here.
                let resumeNow = state.withLock { state -> Bool in
                    if state.open || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
        return isOpen
    }

    /// For a service's `run()`: waits for the signal, or returns early when the service is cancelled or
    /// asked to shut down gracefully; the service's loop then sees the shutdown and ends.
    func waitUnlessShuttingDown() async {
        _ = await cancelWhenGracefulShutdown { [self] in await wait() }
    }
}
