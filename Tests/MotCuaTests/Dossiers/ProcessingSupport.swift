import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

extension APIStaff {
    /// Places the staff member in the agency's unit `name` (created if missing), as its head when `head`.
    func place(in name: String, head: Bool = false, database: any Database, agency: String = APIFiling.agency) async throws {
        try await TestUnits.place(database, userID: user.id, in: name, head: head, agency: agency)
    }
}

enum TestUnits {
    static func place(_ database: any Database, userID: Int64, in name: String, head: Bool = false, agency: String = APIFiling.agency) async throws {
        try await database.transaction { db in
            try await db.raw("""
                INSERT INTO units (agency_id, name, created_at) SELECT id, \(bind: name), 0 FROM agencies WHERE code = \(bind: agency)
                ON CONFLICT (agency_id, name) DO NOTHING
                """).run()
            let unitID = try await db.raw("""
                SELECT u.id FROM units u JOIN agencies a ON a.id = u.agency_id WHERE a.code = \(bind: agency) AND u.name = \(bind: name)
                """).first()!.decode(column: "id", as: Int64.self)
            try await db.raw("UPDATE users SET unit_id = \(bind: unitID) WHERE id = \(bind: userID)").run()
            if head { try await db.raw("UPDATE units SET head_user_id = \(bind: userID) WHERE id = \(bind: unitID)").run() }
        }
    }
}

/// The staff API's view of a dossier in processing.
struct ProcessingBody: Decodable {
    struct Step: Decodable { var name: String; var unit: String; var role: String; var days: Double }
    struct Progress: Decodable {
        var steps: [Step]
        var position: Int?
        var holderUserId: Int64?
        var holderUnit: String?
        var stepDueAt: Int64?
        var pausedAt: Int64?
    }
    struct Handover: Decodable {
        var position: Int
        var receivedBy: String?
        var handedBy: String?
        var finishedAt: Int64?
        var outcome: String?
        var dueAt: Int64
        var receivedAt: Int64
    }
    var id: Int64
    var status: Int
    var dueAt: Int64?
    var availableActions: [String]
    var progress: Progress
    var handovers: [Handover]
}

extension APIFiling {
    /// POSTs a step with the extra fields of processing.
    static func act(_ browser: BrowserClient, _ staff: APIStaff, _ id: Int64, _ action: String, to: Int64? = nil, note: String? = nil,
                    newDueDate: String? = nil) async throws -> TestResponse {
        var body: [String: Any] = ["action": action]
        body["note"] = note
        body["to"] = to
        body["newDueDate"] = newDueDate
        return try await browser.client.execute(
            uri: "/api/v1/staff/dossiers/\(id)/actions", method: .post, headers: staff.auth,
            body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
    }

    static func processing(_ browser: BrowserClient, _ staff: APIStaff, _ id: Int64) async throws -> ProcessingBody {
        try await browser.client.execute(uri: "/api/v1/staff/dossiers/\(id)", method: .get, headers: staff.auth).json(ProcessingBody.self)
    }

    /// The counts of the caller's work lists, by queue name.
    static func counts(_ browser: BrowserClient, _ staff: APIStaff) async throws -> [String: Int] {
        struct Queues: Decodable { struct Queue: Decodable { var queue: String; var count: Int? }; var queues: [Queue] }
        let queues = try await browser.client.execute(uri: "/api/v1/staff/queues", method: .get, headers: staff.auth).json(Queues.self)
        return Dictionary(uniqueKeysWithValues: queues.queues.compactMap { q in q.count.map { (q.queue, $0) } })
    }

    /// The codes in one of the caller's work lists.
    static func queue(_ browser: BrowserClient, _ staff: APIStaff, _ queue: String, query: String = "") async throws -> [Int64] {
        struct List: Decodable { struct Item: Decodable { var id: Int64 }; var items: [Item] }
        let response = try await browser.client.execute(uri: "/api/v1/staff/dossiers?queue=\(queue)\(query)", method: .get, headers: staff.auth)
        #expect(response.status == .ok)
        return try response.json(List.self).items.map(\.id)
    }
}
