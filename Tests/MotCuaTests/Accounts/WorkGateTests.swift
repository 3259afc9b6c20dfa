import Foundation
import HTTPTypes
import Synchronization
import SQLKit
import Testing

@testable import MotCua

@Suite("Slow work cannot starve fast work")
struct WorkGateTests {
    @Test("At most `limit` run at once, `queueLimit` wait, the rest are refused at once", .timeLimit(.minutes(10)))
    func gate() async throws {
        let gate = WorkGate(limit: 1, queueLimit: 2)
        let peak = PeakCounter()
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    do {
                        try await gate.run {
                            peak.enter()
                            try await Task.sleep(for: .milliseconds(200))
                            peak.leave()
                        }
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 3)
        #expect(peak.highest == 1)
        #expect(gate.load == (0, 0))
    }

    @Test("A login past the bcrypt queue is answered 503 with Retry-After and a Vietnamese message, and its attempt does not count",
          .timeLimit(.minutes(10)))  // a hang guard: a full parallel suite on a loaded 2-core machine took over a minute to get here
    func busyLogin() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let gate = WorkGate(limit: 1, queueLimit: 1)
            let hasher = PasswordHasher(cost: 4, gate: gate)
            let accounts = AccountService(database: dependencies.database, hasher: hasher, policy: .bundled(),
                                          publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
            // Two pieces of work hold the one place and the one queue slot until the end of the test (cancelled
            // there): a fixed sleep could end before a loaded machine lets the check below see them both.
            let holders = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<2 { group.addTask { try await gate.run { try await Task.sleep(for: .seconds(120)) } } }
                    try await group.waitForAll()
                }
            }
            while gate.load != (1, 1) { try await Task.sleep(for: .milliseconds(10)) }
            do {
                _ = try await accounts.login(email: "ai@example.vn", password: "Mat-khau-sai-2026", ip: "198.51.100.7", userAgent: "test")
                Issue.record("a login past the queue was checked")
            } catch let busy as PasswordHasher.Busy {
                let answer = busy.portalError
                #expect(answer.status == .serviceUnavailable && answer.retryAfterSeconds != nil && answer.message.contains("thử lại"))
            }
            let counted = try await dependencies.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM throttle_events").first()?.decode(column: "n", as: Int.self)
            }
            #expect(counted == 0)
            holders.cancel()
        }
    }
}

/// Counts how many are inside at once.
final class PeakCounter: Sendable {
    private let state = Mutex((now: 0, highest: 0))
    func enter() { state.withLock { $0.now += 1; $0.highest = max($0.highest, $0.now) } }
    func leave() { state.withLock { $0.now -= 1 } }
    var highest: Int { state.withLock { $0.highest } }
}
