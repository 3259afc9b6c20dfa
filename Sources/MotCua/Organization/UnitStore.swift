import Foundation
import SQLKit

/// The agency's units in SQL: the one write path for units, their heads and who belongs to which.
/// Every change checks and writes in one transaction, so a refusal leaves everything as it was.
struct UnitStore: Sendable {
    let database: any Database

    private static let columns = """
        un.id, un.name, un.head_user_id, h.display_name AS head_name, a.code AS agency_code,
        (SELECT COUNT(*) FROM users m WHERE m.unit_id = un.id) AS member_count
        """
    private static let from = "units un JOIN agencies a ON a.id = un.agency_id LEFT JOIN users h ON h.id = un.head_user_id"

    // MARK: Reading

    /// The agency's units in the order they were created (the same on both engines), with head and member count.
    func units(agencyCode: String) async throws -> [AgencyUnit] {
        try await database.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM \(unsafeRaw: Self.from)
                WHERE a.code = \(bind: agencyCode) ORDER BY un.id
                """).all().map(Self.unit(from:))
        }
    }

    func unit(id: Int64, agencyCode: String) async throws -> AgencyUnit? {
        try await database.read { try await Self.unit(id: id, agencyCode: agencyCode, in: $0) }
    }

    /// The agency's staff who belong to a unit, by role and name.
    func members(agencyCode: String) async throws -> [UnitMember] {
        try await database.read { db in
            try await db.raw("""
                SELECT u.id, u.unit_id, u.display_name, u.role FROM users u JOIN agencies a ON a.id = u.agency_id
                WHERE a.code = \(bind: agencyCode) AND u.kind = 'staff' AND u.unit_id IS NOT NULL
                ORDER BY u.role, u.display_name, u.id
                """).all().map { row in
                UnitMember(id: try row.decode(column: "id"), unitID: try row.decode(column: "unit_id"),
                           name: try row.decode(column: "display_name"),
                           role: try row.decode(column: "role", as: String?.self).flatMap(StaffRole.init(rawValue:)))
            }
        }
    }

    // MARK: Writing

    /// Creates a unit; its name is trimmed and must be new within the agency.
    func create(name rawName: String, agencyCode: String) async throws -> AgencyUnit {
        let name = try AgencyUnit.normalizedName(rawName).get()
        return try await database.transaction { db in
            let agencyID = try await Self.agencyID(agencyCode, in: db)
            // No row back: the name was taken (also by a concurrent request), and nothing was written.
            guard let row = try await db.raw("""
                INSERT INTO units (agency_id, name, created_at) VALUES (\(bind: agencyID), \(bind: name), \(bind: Clock.nowMilliseconds()))
                ON CONFLICT (agency_id, name) DO NOTHING RETURNING id
                """).first()
            else { throw UnitError.duplicateName(name) }
            guard let unit = try await Self.unit(id: try row.decode(column: "id"), agencyCode: agencyCode, in: db) else {
                throw UnitError.notFound
            }
            return unit
        }
    }

    /// Makes sure units with these names exist (the demo data and catalog processes); existing ones stay as they are.
    func ensure(names: [String], agencyCode: String) async throws {
        try await database.transaction { db in
            let agencyID = try await Self.agencyID(agencyCode, in: db)
            for name in names {
                try await db.raw("""
                    INSERT INTO units (agency_id, name, created_at) VALUES (\(bind: agencyID), \(bind: name), \(bind: Clock.nowMilliseconds()))
                    ON CONFLICT (agency_id, name) DO NOTHING
                    """).run()
            }
        }
    }

    func rename(unitID: Int64, to name: String, agencyCode: String) async throws {
        try await update(unitID: unitID, name: name, head: nil, agencyCode: agencyCode)
    }

    /// Sets the head of a unit (nil clears it). The head must be active staff of the same agency who heads no
    /// other unit; someone not yet in the unit is placed in it, in the same transaction.
    func setHead(unitID: Int64, userID: Int64?, agencyCode: String) async throws {
        try await update(unitID: unitID, name: nil, head: .some(userID), agencyCode: agencyCode)
    }

    /// Renames a unit and/or sets its head (`head`: nil leaves it, `.some(nil)` clears it) in one transaction:
    /// either both change or neither.
    func update(unitID: Int64, name rawName: String?, head: Int64??, agencyCode: String) async throws {
        let name = try rawName.map { try AgencyUnit.normalizedName($0).get() }
        try await database.transaction { db in
            let unit = try await Self.locked(unitID, agencyCode: agencyCode, in: db)
            if let name, name != unit.name {
                if try await db.raw("""
                    SELECT 1 AS one FROM units WHERE agency_id = \(bind: unit.agencyID) AND name = \(bind: name) AND id <> \(bind: unitID)
                    """).first() != nil {
                    throw UnitError.duplicateName(name)
                }
                try await db.raw("UPDATE units SET name = \(bind: name) WHERE id = \(bind: unitID)").run()
            }
            guard case .some(let userID) = head, userID != unit.headUserID else { return }
            guard let userID else {
                try await db.raw("UPDATE units SET head_user_id = NULL WHERE id = \(bind: unitID)").run()
                return
            }
            guard let staff = try await Self.staff(userID, agencyID: unit.agencyID, in: db) else { throw UnitError.invalidHead }
            if staff.disabled {
                throw UnitError.conflict("Tài khoản của \(staff.name) đang bị khóa; không thể làm trưởng đơn vị.")
            }
            if let other = try await Self.headedUnit(of: userID, except: unitID, in: db) {
                throw UnitError.conflict("\(staff.name) đang là trưởng “\(other)”; hãy chọn trưởng khác cho đơn vị đó trước.")
            }
            if staff.unitID != unitID {
                try await db.raw("UPDATE users SET unit_id = \(bind: unitID) WHERE id = \(bind: userID)").run()
            }
            try await db.raw("UPDATE units SET head_user_id = \(bind: userID) WHERE id = \(bind: unitID)").run()
        }
    }

    /// Places a staff member of the agency in one of its units (nil: in none). The head of a unit leaves it
    /// only after another head is chosen, so a unit is never headed by someone outside it.
    func setUnit(userID: Int64, unitID: Int64?, agencyCode: String) async throws {
        try await database.transaction { db in
            let agencyID = try await Self.agencyID(agencyCode, in: db)
            if let unitID { _ = try await Self.locked(unitID, agencyCode: agencyCode, in: db) }
            guard let staff = try await Self.staff(userID, agencyID: agencyID, in: db) else { throw UnitError.staffNotFound }
            guard staff.unitID != unitID else { return }
            if let headed = try await Self.headedUnit(of: userID, except: unitID, in: db) {
                throw UnitError.conflict(
                    "\(staff.name) đang là trưởng “\(headed)”; hãy chọn trưởng khác cho đơn vị đó trước khi chuyển.")
            }
            try await db.raw("UPDATE users SET unit_id = \(bind: unitID) WHERE id = \(bind: userID)").run()
        }
    }

    /// Deletes a unit that holds nothing: no dossier, no member, no head, no hand-over in any control slip.
    func delete(unitID: Int64, agencyCode: String) async throws {
        try await database.transaction { db in
            let unit = try await Self.locked(unitID, agencyCode: agencyCode, in: db)
            let dossiers = try await Self.count("SELECT COUNT(*) AS n FROM dossiers WHERE holder_unit_id = \(bind: unitID)", in: db)
            if dossiers > 0 {
                throw UnitError.conflict("Đơn vị đang giữ \(dossiers) hồ sơ; chuyển hết hồ sơ trước khi xóa.")
            }
            let members = try await Self.count("SELECT COUNT(*) AS n FROM users WHERE unit_id = \(bind: unitID)", in: db)
            if members > 0 {
                throw UnitError.conflict("Đơn vị còn \(members) cán bộ; chuyển họ sang đơn vị khác trước khi xóa.")
            }
            if unit.headUserID != nil {
                throw UnitError.conflict("Đơn vị đang có trưởng đơn vị; bỏ chọn trưởng đơn vị trước khi xóa.")
            }
            let handovers = try await Self.count("SELECT COUNT(*) AS n FROM dossier_handovers WHERE unit_id = \(bind: unitID)", in: db)
            if handovers > 0 {
                throw UnitError.conflict(
                    "Đơn vị đã có trong \(handovers) lượt chuyển hồ sơ của phiếu kiểm soát; không xóa được để giữ lịch sử xử lý.")
            }
            try await db.raw("DELETE FROM units WHERE id = \(bind: unitID)").run()
        }
    }

    // MARK: Inside a caller's transaction

    /// The id of the agency's unit with this name, if there is one.
    static func unitID(named name: String, agencyCode: String, in db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("""
            SELECT un.id FROM units un JOIN agencies a ON a.id = un.agency_id
            WHERE a.code = \(bind: agencyCode) AND un.name = \(bind: name)
            """).first()?.decode(column: "id", as: Int64.self)
    }

    static func place(userID: Int64, unitID: Int64?, in db: any SQLDatabase) async throws {
        try await db.raw("UPDATE users SET unit_id = \(bind: unitID) WHERE id = \(bind: userID)").run()
    }

    // MARK: Helpers

    private struct LockedUnit {
        var agencyID: Int64
        var name: String
        var headUserID: Int64?
    }

    private struct Staff {
        var name: String
        var unitID: Int64?
        var disabled: Bool
    }

    private static func unit(id: Int64, agencyCode: String, in db: any SQLDatabase) async throws -> AgencyUnit? {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM \(unsafeRaw: from) WHERE un.id = \(bind: id) AND a.code = \(bind: agencyCode)
            """).first().map(unit(from:))
    }

    /// The unit within the agency, locked until the transaction ends on PostgreSQL (SQLite has one writer), so
    /// a concurrent hand-over or move into it waits for a deletion and then fails its foreign key.
    private static func locked(_ unitID: Int64, agencyCode: String, in db: any SQLDatabase) async throws -> LockedUnit {
        let lock = db.dialect.name == "postgresql" ? " FOR UPDATE OF un" : ""
        guard let row = try await db.raw("""
            SELECT un.agency_id, un.name, un.head_user_id FROM units un JOIN agencies a ON a.id = un.agency_id
            WHERE un.id = \(bind: unitID) AND a.code = \(bind: agencyCode)\(unsafeRaw: lock)
            """).first()
        else { throw UnitError.notFound }
        return LockedUnit(agencyID: try row.decode(column: "agency_id"), name: try row.decode(column: "name"),
                          headUserID: try row.decode(column: "head_user_id"))
    }

    private static func agencyID(_ code: String, in db: any SQLDatabase) async throws -> Int64 {
        guard let id = try await db.raw("SELECT id FROM agencies WHERE code = \(bind: code)").first()?
            .decode(column: "id", as: Int64.self)
        else { throw UnitError.notFound }
        return id
    }

    private static func staff(_ userID: Int64, agencyID: Int64, in db: any SQLDatabase) async throws -> Staff? {
        try await db.raw("""
            SELECT display_name, unit_id, disabled FROM users
            WHERE id = \(bind: userID) AND kind = 'staff' AND agency_id = \(bind: agencyID)
            """).first().map {
            Staff(name: try $0.decode(column: "display_name"), unitID: try $0.decode(column: "unit_id"),
                  disabled: try $0.decode(column: "disabled"))
        }
    }

    /// The name of a unit other than `except` that this person heads.
    private static func headedUnit(of userID: Int64, except unitID: Int64?, in db: any SQLDatabase) async throws -> String? {
        try await db.raw("""
            SELECT name FROM units WHERE head_user_id = \(bind: userID) AND id <> \(bind: unitID ?? 0)
            """).first()?.decode(column: "name", as: String.self)
    }

    private static func count(_ query: SQLQueryString, in db: any SQLDatabase) async throws -> Int {
        try await db.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    private static func unit(from row: any SQLRow) throws -> AgencyUnit {
        AgencyUnit(
            id: try row.decode(column: "id"), agencyCode: try row.decode(column: "agency_code"), name: try row.decode(column: "name"),
            headUserID: try row.decode(column: "head_user_id"), headName: try row.decode(column: "head_name"),
            memberCount: try row.decode(column: "member_count"))
    }
}
