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

    /// The limit is a hang guard only: at the start of a full run on 2 cores, migrating a fresh database alone
    /// took over a minute in CI (the same guard as the other start-up tests).
    @Test("A real service waiting for a schema that never became ready ends on graceful shutdown",
          .timeLimit(.minutes(3)))
    func serviceEndsOnShutdown() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            var cleanup = dependencies.accountCleanup
            cleanup.ready = ReadySignal()  // never opened, as after a failed migration
            var outbox = dependencies.outboxDelivery
            outbox.ready = cleanup.ready
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: cleanup), .init(service: outbox)], logger: TestEnvironment.logger))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await Task.sleep(for: .milliseconds(200))
                await group.triggerGracefulShutdown()
                try await tasks.next()
            }
            #expect(cleanup.ready?.isOpen == false)
        }
    }
}
