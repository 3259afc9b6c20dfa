import Foundation
import HTTPTypes
import Synchronization
import Testing

@testable import MotCua

@Suite("Slow work cannot starve fast work")
struct WorkGateTests {
    @Test("At most `limit` run at once, `queueLimit` wait, the rest are refused at once")
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

    @Test("Logins beyond the bcrypt queue are answered 503 with Retry-After and a Vietnamese message, not queued without bound")
    func busyLogins() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let hasher = PasswordHasher(cost: 10, gate: WorkGate(limit: 1, queueLimit: 1))
            let accounts = AccountService(database: dependencies.database, hasher: hasher, policy: .bundled(),
                                          publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
            let results = await withTaskGroup(of: String.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        do {
                            _ = try await accounts.login(email: "ai\(index)@example.vn", password: "Mat-khau-sai-2026",
                                                         ip: "198.51.100.\(index)", userAgent: "test")
                            return "checked"
                        } catch let busy as PasswordHasher.Busy {
                            let answer = busy.portalError
                            return answer.status == .serviceUnavailable && answer.retryAfterSeconds != nil && answer.message.contains("thử lại")
                                ? "busy" : "wrong answer"
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0 == "checked" || $0 == "busy" }, "\(results)")
            #expect(results.filter { $0 == "busy" }.count >= 1 && results.filter { $0 == "checked" }.count >= 2, "\(results)")
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
