import Foundation
import SQLKit
import Testing

@testable import MotCua

/// The agency-wide work lists' counts come from counters that triggers keep (M0025). Whatever writes the
/// dossiers (the workflow, a direct UPDATE, a deletion, a move to another agency), the counters must equal
/// the dossiers counted one by one. SQLite, and PostgreSQL with DATABASE_URL.
@Suite("Work-list counters")
struct QueueCountTests {
    /// Every (agency, status, due state) whose counter differs from the dossiers it counts, as text.
    static func mismatches(_ database: any Database) async throws -> [String] {
        try await database.read { db in
            let counted = try await db.raw("""
                SELECT agency_id, status, due_state, COUNT(*) AS n FROM dossiers GROUP BY agency_id, status, due_state
                """).all()
            let kept = try await db.raw("""
                SELECT agency_id, status, due_state, CAST(SUM(n) AS BIGINT) AS n FROM dossier_queue_counts
                GROUP BY agency_id, status, due_state
                """).all()
            func table(_ rows: [any SQLRow]) throws -> [String: Int] {
                var table: [String: Int] = [:]
                for row in rows {
                    let key = "\(try row.decode(column: "agency_id", as: Int64.self))/\(try row.decode(column: "status", as: Int.self))/"
                        + "\(try row.decode(column: "due_state", as: Int.self))"
                    let n = try row.decode(column: "n", as: Int.self)
                    if n != 0 { table[key] = n }
                }
                return table
            }
            let expected = try table(counted), actual = try table(kept)
            return Set(expected.keys).union(actual.keys).sorted().compactMap { key in
                expected[key] == actual[key] ? nil : "\(key): \(actual[key] ?? 0) counted, \(expected[key] ?? 0) dossiers"
            }
        }
    }

    /// The four agency-wide queues counted from the dossiers themselves, as `DossierQueue.scope` selects them.
    static func direct(_ database: any Database, agencyID: Int64) async throws -> [DossierQueue: Int] {
        try await database.read { db in
            let row = try await db.raw("""
                SELECT
                (SELECT COUNT(*) FROM dossiers WHERE agency_id = \(bind: agencyID) AND status = 1) AS r,
                (SELECT COUNT(*) FROM dossiers WHERE agency_id = \(bind: agencyID) AND status = 9) AS f,
                (SELECT COUNT(*) FROM dossiers WHERE agency_id = \(bind: agencyID) AND due_state = 1) AS s,
                (SELECT COUNT(*) FROM dossiers WHERE agency_id = \(bind: agencyID) AND due_state = 2) AS o
                """).first()
            return [.toReceive: try row?.decode(column: "r", as: Int.self) ?? -1, .toReturn: try row?.decode(column: "f", as: Int.self) ?? -1,
                    .dueSoon: try row?.decode(column: "s", as: Int.self) ?? -1, .overdue: try row?.decode(column: "o", as: Int.self) ?? -1]
        }
    }

    @Test("The counters follow submissions, desk steps, direct updates, moves between agencies and deletions")
    func countersFollowEveryWrite() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let database = dependencies.database
            let office = try await ProcessingClockTests.Office.make(dependencies)
            let viewer = QueueViewer(office.desk)
            let agencyID = try #require(office.desk.agencyID)
            let queues: [DossierQueue] = [.toReceive, .toReturn, .dueSoon, .overdue]
            func check(_ when: Comment) async throws {
                #expect(try await Self.mismatches(database) == [], when)
                let counts = try await dependencies.dossiers.store.counts(queues, for: viewer)
                #expect(counts == (try await Self.direct(database, agencyID: agencyID)), when)
            }

            var submitted: [Int64] = []
            for index in 0..<6 {
                let (_, dossier) = try await ProcessingClockTests.submitted(dependencies, email: "cd\(index)@example.vn")
                submitted.append(dossier.id)
            }
            let ids = submitted
            try await check("after six submissions")
            #expect(try await dependencies.dossiers.store.counts([.toReceive], for: viewer) == [.toReceive: 6])

            _ = try await dependencies.workflow.perform(.accept, on: ids[0], by: office.desk, input: .init())
            _ = try await dependencies.workflow.perform(.accept, on: ids[1], by: office.desk, input: .init())
            _ = try await dependencies.workflow.perform(.refuse, on: ids[2], by: office.desk, note: "Hồ sơ không thuộc thẩm quyền giải quyết.")
            try await check("after two acceptances and a refusal")
            #expect(try await dependencies.dossiers.store.counts([.toReceive], for: viewer) == [.toReceive: 3])

            // Writes outside the workflow: a finished dossier, due states, one moved to another agency, one deleted,
            // and an update that sets the same values again.
            let other = try await database.read { db in
                try #require(try await db.raw("SELECT id FROM agencies WHERE id <> \(bind: agencyID) ORDER BY id").first()?
                    .decode(column: "id", as: Int64.self))
            }
            try await database.transaction { db in
                try await db.raw("UPDATE dossiers SET status = 9 WHERE id = \(bind: ids[0])").run()
                try await db.raw("UPDATE dossiers SET due_state = 1 WHERE id = \(bind: ids[1])").run()
                try await db.raw("UPDATE dossiers SET due_state = 2 WHERE id IN (\(bind: ids[0]), \(bind: ids[3]))").run()
                try await db.raw("UPDATE dossiers SET agency_id = \(bind: other) WHERE id = \(bind: ids[4])").run()
                try await db.raw("UPDATE dossiers SET status = status, due_state = due_state, agency_id = agency_id").run()
            }
            try await check("after direct updates")
            #expect(try await dependencies.dossiers.store.counts(queues, for: viewer)
                == [.toReceive: 2, .toReturn: 1, .dueSoon: 1, .overdue: 2])

            try await database.transaction { db in
                try await db.raw("DELETE FROM dossier_events WHERE dossier_id = \(bind: ids[3])").run()
                try await db.raw("DELETE FROM dossier_attachments WHERE dossier_id = \(bind: ids[3])").run()
                try await db.raw("DELETE FROM dossier_slips WHERE dossier_id = \(bind: ids[3])").run()
                try await db.raw("DELETE FROM dossiers WHERE id = \(bind: ids[3])").run()
            }
            try await check("after a deletion")
            #expect(try await dependencies.dossiers.store.counts([.toReceive, .overdue], for: viewer) == [.toReceive: 1, .overdue: 1])

            // A write that fails leaves the counters as they were (they are part of its transaction).
            await #expect(throws: (any Error).self) {
                try await database.transaction { db in
                    try await db.raw("UPDATE dossiers SET status = 1 WHERE id = \(bind: ids[0])").run()
                    try await db.raw("SELECT * FROM no_such_table").run()
                }
            }
            try await check("after a rolled-back update")

            // The back-fill of the migration gives the same counters from the dossiers alone.
            let backFill = M0025QueueCounts.migration.statements(DialectTypes(engine: database.engine))[1]
            try await database.transaction { db in
                try await db.raw("DELETE FROM dossier_queue_counts").run()
                try await db.raw("\(unsafeRaw: backFill)").run()
            }
            try await check("after the back-fill")
        }
    }
}
