import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

@Suite("Dossier lists: summaries with keyset pagination")
struct DossierListTests {
    struct Page: Decodable {
        struct Item: Decodable { var id: Int64; var status: Int }
        var items: [Item]
        var nextCursor: String?
    }

    /// Follows `nextCursor` from the first page to the last, `limit` rows a page.
    private static func allPages(_ browser: BrowserClient, _ path: String, auth: HTTPFields, limit: Int) async throws -> [[Int64]] {
        var pages: [[Int64]] = []
        var cursor: String?
        repeat {
            let uri = path + "?limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? "")
            let response = try await browser.client.execute(uri: uri, method: .get, headers: auth)
            #expect(response.status == .ok, "\(uri)")
            let page = try response.json(Page.self)
            pages.append(page.items.map(\.id))
            cursor = page.nextCursor
        } while cursor != nil && pages.count < 20
        return pages
    }

    @Test("The applicant's and the agency's lists page by cursor: every dossier once, newest first; bad cursors and limits are 400")
    func cursors() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let citizen = try await APICitizen.make(database, email: "nhieu.ho.so@example.vn", citizenID: "001099000555")
            let desk = try await APIStaff.make(database, email: "tiep.nhan.ds@example.vn", role: .receptionist)
            var ids: [Int64] = []
            for _ in 0..<5 { ids.append(try await APIFiling.submitted(browser, citizen, database: database).id) }
            let draft = try await APIFiling.draft(browser, citizen, database: database).id

            let mine = try await Self.allPages(browser, "/api/v1/dossiers", auth: citizen.auth, limit: 2)
            #expect(mine.map(\.count) == [2, 2, 2])
            #expect(mine.flatMap { $0 } == ([draft] + ids).sorted(by: >))

            // The agency sees submitted dossiers only, by due moment (before acceptance: by submission), oldest first.
            let queue = try await Self.allPages(browser, "/api/v1/staff/dossiers", auth: desk.auth, limit: 2)
            #expect(queue.map(\.count) == [2, 2, 1])
            #expect(queue.flatMap { $0 } == ids)

            for bad in ["cursor=abc", "cursor=1.2.3", "cursor=-5", "limit=0", "limit=101", "limit=x"] {
                #expect(try await browser.client.execute(uri: "/api/v1/dossiers?\(bad)", method: .get, headers: citizen.auth).status == .badRequest, "\(bad)")
                #expect(try await browser.client.execute(uri: "/api/v1/staff/dossiers?\(bad)", method: .get, headers: desk.auth).status == .badRequest, "\(bad)")
            }
        }
    }

    @Test("Each list is an index range scan in its own order on this engine (no sort, no full scan)")
    func plans() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let database = dependencies.database
            // Each statement with the index that must answer it (on SQLite, which plans without statistics, the
            // wrong one is a full walk of every dossier: a unit head's list once took the person index for
            // `holder_user_id IS NULL`), and whether a sort of the rows found is acceptable.
            let statements: [(sql: String, index: String, sorts: Bool)] = [
                ("SELECT id FROM dossiers d WHERE d.applicant_id = 7 ORDER BY d.id DESC LIMIT 21", "dossiers_applicant", false),
                ("SELECT id FROM dossiers d WHERE d.applicant_id = 7 AND d.status = 1 AND d.id < 100 ORDER BY d.id DESC LIMIT 21", "dossiers_applicant", false),
                // The agency's list and its queues (DossierStore+Queues), by their due moments.
                ("SELECT id FROM dossiers d WHERE d.agency_id = 3 AND d.status <> 0 AND COALESCE(d.due_at, d.submitted_at) >= 0 ORDER BY COALESCE(d.due_at, d.submitted_at), d.id LIMIT 51", "dossiers_agency", false),
                ("SELECT id FROM dossiers d WHERE d.agency_id = 3 AND d.status <> 0 AND d.status = 2 AND (COALESCE(d.due_at, d.submitted_at), d.id) > (5, 9) ORDER BY COALESCE(d.due_at, d.submitted_at), d.id LIMIT 51", "dossiers_agency", false),
                ("SELECT id FROM dossiers d WHERE d.agency_id = 3 AND d.status = 1 AND d.submitted_at >= 0 ORDER BY d.submitted_at, d.id LIMIT 51", "dossiers_agency", false),
                ("SELECT id FROM dossiers d WHERE d.holder_user_id = 7 AND +d.status IN (2, 4) AND d.step_role <> 'leader' AND d.step_due_at >= 0 ORDER BY d.step_due_at, d.id LIMIT 51", "dossiers_holder_queue", false),
                // A unit head's pool: the units headed come from a subquery, so the few rows found are sorted.
                ("SELECT id FROM dossiers d WHERE d.holder_unit_id IN (SELECT id FROM units WHERE head_user_id = 7) AND d.holder_user_id IS NULL AND +d.status = 4 AND d.step_role <> 'receptionist' AND d.step_due_at >= 0 ORDER BY d.step_due_at, d.id LIMIT 51", "dossiers_unit_pool", true),
                ("SELECT COUNT(*) FROM dossiers d WHERE d.holder_unit_id IN (SELECT id FROM units WHERE head_user_id = 7) AND d.holder_user_id IS NULL AND +d.status = 4 AND d.step_role <> 'receptionist'", "dossiers_unit_pool", false),
                ("SELECT id FROM dossiers d WHERE d.agency_id = 3 AND d.due_state = 2 AND d.due_at >= 0 ORDER BY d.due_at, d.id LIMIT 51", "dossiers_agency", false),
                // The due sweep (DueSweep): open dossiers not yet in the state, by due moment.
                ("SELECT id FROM dossiers d WHERE status IN (2, 4, 9) AND step_due_state IN (0, 1) AND step_due_at < 5", "dossiers_sweep", false),
                ("SELECT id FROM dossiers d WHERE status IN (2, 4, 9) AND due_state IN (0) AND due_at >= 5 AND due_at <= 9", "dossiers_sweep", false),
            ]
            for (statement, index, sorts) in statements {
                let plan: String = try await database.read { db in
                    switch database.engine {
                    case .sqlite:
                        return try await db.raw("EXPLAIN QUERY PLAN \(unsafeRaw: statement)").all()
                            .map { try $0.decode(column: "detail", as: String.self) }.joined(separator: " | ")
                    case .postgres:
                        // A tiny table would be scanned whole; ask for the plan an index makes possible.
                        _ = try await db.raw("SET enable_seqscan = off").run()
                        let plan = try await db.raw("EXPLAIN \(unsafeRaw: statement)").all()
                            .map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: " | ")
                        _ = try await db.raw("RESET enable_seqscan").run()
                        return plan
                    }
                }
                #expect(plan.contains(index), "\(statement): \(plan)")
                #expect(sorts || (!plan.contains("TEMP B-TREE") && !plan.contains("Sort")), "\(statement): \(plan)")
                #expect(!plan.contains("SCAN d") || plan.contains("USING"), "\(statement): \(plan)")
            }
        }
    }
}
