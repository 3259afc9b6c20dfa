import Foundation
import SQLKit
import Testing

@testable import MotCua

/// A leader's "to approve" list is the steps they hold and their unit's that nobody holds, read as two index
/// range scans merged (`DossierStore.queueQuery`). Page after page it must be exactly the dossiers that
/// scope selects, in due order, each once. SQLite, and PostgreSQL with DATABASE_URL.
@Suite("A leader's approvals, merged from two lists")
struct ApprovalQueueTests {
    @Test("Pages of the merged list are the scope's dossiers in due order, each once, and the count agrees")
    func mergedPages() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let database = dependencies.database
            let office = try await ProcessingClockTests.Office.make(dependencies)
            let leader = office.leader
            let unit = try #require(leader.unitID)
            var submitted: [Int64] = []
            for index in 0..<11 {
                submitted.append(try await ProcessingClockTests.submitted(dependencies, email: "pd\(index)@example.vn").1.id)
            }
            let ids = submitted
            // Held by the leader, by nobody in the leader's unit (the two arms, due moments interleaved, two equal),
            // and decoys: another holder, another step's role, not in processing.
            let base: Int64 = 1_800_000_000_000
            let states: [(holder: Int64?, role: String, status: DossierStatus, due: Int64)] = [
                (leader.id, "leader", .processing, base + 5), (nil, "leader", .processing, base + 1), (leader.id, "leader", .processing, base + 3),
                (nil, "leader", .processing, base + 3), (nil, "leader", .processing, base + 8), (leader.id, "leader", .processing, base + 2),
                (nil, "leader", .processing, base + 9), (office.processor.id, "leader", .processing, base),
                (nil, "processor", .processing, base), (leader.id, "leader", .finished, base), (leader.id, "leader", .processing, base + 7),
            ]
            try await database.transaction { db in
                for (id, state) in zip(ids, states) {
                    try await db.raw("""
                        UPDATE dossiers SET status = \(bind: state.status.rawValue), step_role = \(bind: state.role),
                        holder_user_id = \(bind: state.holder), holder_unit_id = \(bind: unit), step_due_at = \(bind: state.due)
                        WHERE id = \(bind: id)
                        """).run()
                }
            }
            func approvable(_ state: (holder: Int64?, role: String, status: DossierStatus, due: Int64)) -> Bool {
                state.role == "leader" && state.status == .processing && (state.holder == leader.id || state.holder == nil)
            }
            let kept: [(id: Int64, due: Int64)] = zip(ids, states).filter { approvable($0.1) }.map { ($0.0, $0.1.due) }
            let expected: [Int64] = kept.sorted { ($0.due, $0.id) < ($1.due, $1.id) }.map(\.id)
            #expect(expected.count == 8)

            let store = dependencies.dossiers.store
            var seen: [Int64] = []
            var cursor: DossierCursor?
            repeat {
                let page = try await store.queue(.toApprove, for: QueueViewer(leader), after: cursor, limit: 3)
                #expect(page.items.count <= 3)
                seen += page.items.map(\.id)
                cursor = page.next
            } while cursor != nil && seen.count < 20
            #expect(seen == expected)
            #expect(try await store.counts([.toApprove], for: QueueViewer(leader)) == [.toApprove: 8])
            // One page of all: the same.
            #expect(try await store.queue(.toApprove, for: QueueViewer(leader), limit: 50).items.map(\.id) == expected)
        }
    }
}
