import Foundation
import ServiceLifecycle
import Testing

@testable import MotCua

/// The background services wait for the schema; a start-up that failed before it was ready must still
/// shut them down (a CI run once hung 20 minutes on PostgreSQL in what looks like that state).
@Suite("Ready signal")
struct ReadySignalTests {
    @Test("A wait ends when its task is cancelled and says the signal never opened; once open, waits return at once")
    func cancelledWait() async {
        let signal = ReadySignal()
        let waiting = Task { await signal.wait() }
        try? await Task.sleep(for: .milliseconds(50))
        waiting.cancel()
        #expect(await waiting.value == false)
        // Cancelled before it even started waiting.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await signal.wait()
        }
        #expect(await early.value == false)
        signal.open()
        #expect(await signal.wait())
    }

    /// Only the shutdown is timed, from the moment it is asked for. A time limit on the whole test also
    /// counted making and migrating its fresh database, which at the start of a full run on 2 cores can take
    /// minutes: on PostgreSQL the test once ran past a 3-minute limit while the suite's other 313 passed.
    @Test("A real service waiting for a schema that never became ready ends on graceful shutdown")
    func serviceEndsOnShutdown() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            var cleanup = dependencies.accountCleanup
            cleanup.ready = ReadySignal()  // never opened, as after a failed migration
            var outbox = dependencies.outboxDelivery
            outbox.ready = cleanup.ready
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: cleanup), .init(service: outbox)], logger: TestEnvironment.logger))
            struct StillRunning: Error {}
            try await withThrowingTaskGroup(of: Bool.self) { tasks in
                tasks.addTask {
                    try await group.run()
                    return true
                }
                try await Task.sleep(for: .milliseconds(200))
                await group.triggerGracefulShutdown()
                tasks.addTask {
                    try await Task.sleep(for: .seconds(60))
                    return false
                }
                let ended = try await tasks.next() ?? false
                tasks.cancelAll()
                if !ended { throw StillRunning() }
            }
            #expect(cleanup.ready?.isOpen == false)
        }
    }
}
