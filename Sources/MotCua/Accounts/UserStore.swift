import Foundation
import SQLKit

/// Accounts in SQL. Methods taking `db` run inside the caller's transaction, so an account change and
/// the mail it causes are written together.
struct UserStore: Sendable {
    let database: any Database

    static let columns = """
        u.id, u.kind, u.email, u.display_name, u.citizen_id, u.date_of_birth, u.tax_code, u.representative,
        u.phone, u.address, u.role, u.email_verified_at, u.disabled, u.unit_id, u.must_change_password, u.walk_in, u.walk_in_id_number,
        u.contact_email, u.agency_id, a.code AS agency_code
        """

    func user(id: Int64) async throws -> User? {
        try await database.read { try await Self.user(id: id, in: $0) }
    }

    /// The account and its password hash, for checking a login.
    func credentials(email: String) async throws -> (user: User, passwordHash: String)? {
        try await database.read { db in
            guard let row = try await db.raw("""
                SELECT \(unsafeRaw: Self.columns), u.password_hash FROM users u LEFT JOIN agencies a ON a.id = u.agency_id
                WHERE u.email = \(bind: Self.normalizedEmail(email))
                """).first()
            else { return nil }
            return (try Self.user(from: row), try row.decode(column: "password_hash"))
        }
    }

    func passwordHash(userID: Int64) async throws -> String? {
        try await database.read { db in
            try await db.raw("SELECT password_hash FROM users WHERE id = \(bind: userID)").first()?
                .decode(column: "password_hash", as: String.self)
        }
    }

    static func user(id: Int64, in db: any SQLDatabase) async throws -> User? {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM users u LEFT JOIN agencies a ON a.id = u.agency_id WHERE u.id = \(bind: id)
            """).first().map(user(from:))
    }

    static func emailExists(_ email: String, in db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT 1 AS one FROM users WHERE email = \(bind: normalizedEmail(email))").first() != nil
    }

    static func citizenIDExists(_ citizenID: String, in db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT 1 AS one FROM users WHERE citizen_id = \(bind: citizenID)").first() != nil
    }

    static func insert(_ user: NewUser, in db: any SQLDatabase) async throws -> User {
        var agencyID: Int64?
        if let code = user.agencyCode {
            guard let row = try await db.raw("SELECT id FROM agencies WHERE code = \(bind: code)").first() else {
                throw AccountError.unknownAgency(code)
            }
            agencyID = try row.decode(column: "id")
        }
        let now = Clock.nowMilliseconds()
        guard let row = try await db.raw("""
            INSERT INTO users (kind, email, password_hash, display_name, citizen_id, date_of_birth, tax_code,
                representative, phone, address, role, agency_id, email_verified_at, disabled, created_at)
            VALUES (\(bind: user.kind.rawValue), \(bind: normalizedEmail(user.email)), \(bind: user.passwordHash),
                \(bind: user.displayName), \(bind: user.citizenID), \(bind: user.dateOfBirth), \(bind: user.taxCode),
                \(bind: user.representative), \(bind: user.phone), \(bind: user.address), \(bind: user.role?.rawValue),
                \(bind: agencyID), \(bind: user.emailVerified ? now : nil), \(bind: false), \(bind: now))
            RETURNING id
            """).first()
        else { throw AccountError.notSaved }
        let id: Int64 = try row.decode(column: "id")
        guard let saved = try await Self.user(id: id, in: db) else { throw AccountError.notSaved }
        return saved
    }

    static func setPassword(userID: Int64, hash: String, in db: any SQLDatabase) async throws {
        try await db.raw("UPDATE users SET password_hash = \(bind: hash), must_change_password = \(bind: false) WHERE id = \(bind: userID)").run()
    }

    static func markVerified(userID: Int64, in db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE users SET email_verified_at = \(bind: Clock.nowMilliseconds())
            WHERE id = \(bind: userID) AND email_verified_at IS NULL
            """).run()
    }

    func updateProfile(userID: Int64, displayName: String, phone: String, address: String) async throws {
        try await database.transaction { db in
            try await db.raw("""
                UPDATE users SET display_name = \(bind: displayName), phone = \(bind: phone), address = \(bind: address)
                WHERE id = \(bind: userID)
                """).run()
        }
    }

    func setDisabled(userID: Int64, disabled: Bool) async throws {
        try await database.transaction { db in
            try await db.raw("UPDATE users SET disabled = \(bind: disabled) WHERE id = \(bind: userID)").run()
            if disabled { try await SessionStore.deleteAll(userID: userID, in: db) }
        }
    }

    func staff(agencyCode: String) async throws -> [User] {
        try await database.read { db in try await Self.staff(agencyCode: agencyCode, in: db) }
    }

    /// The agency's staff accounts, within a read or a transaction of the caller's.
    static func staff(agencyCode: String, in db: any SQLDatabase) async throws -> [User] {
        try await db.raw("""
            SELECT \(unsafeRaw: columns) FROM users u JOIN agencies a ON a.id = u.agency_id
            WHERE a.code = \(bind: agencyCode) AND u.kind = 'staff' ORDER BY u.role, u.display_name
            """).all().map(user(from:))
    }

    func count() async throws -> Int {
        try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n") ?? 0 }
    }

    static func normalizedEmail(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    static func user(from row: any SQLRow) throws -> User {
        let kind: AccountKind = try JSONColumn.enumValue(row, "kind")
        let roleRaw = try row.decode(column: "role", as: String?.self)
        return User(
            id: try row.decode(column: "id"), kind: kind, email: try row.decode(column: "email"),
            displayName: try row.decode(column: "display_name"), citizenID: try row.decode(column: "citizen_id"),
            dateOfBirth: try row.decode(column: "date_of_birth"), taxCode: try row.decode(column: "tax_code"),
            representative: try row.decode(column: "representative"), phone: try row.decode(column: "phone"),
            address: try row.decode(column: "address"), role: roleRaw.flatMap(StaffRole.init(rawValue:)),
            agencyCode: try row.decode(column: "agency_code"),
            emailVerified: try row.decode(column: "email_verified_at", as: Int64?.self) != nil,
            disabled: try row.decode(column: "disabled"), unitID: try row.decode(column: "unit_id"),
            mustChangePassword: try row.decode(column: "must_change_password"), walkIn: try row.decode(column: "walk_in"),
            walkInIDNumber: try row.decode(column: "walk_in_id_number"), contactEmail: try row.decode(column: "contact_email"),
            agencyID: try row.decode(column: "agency_id"))
    }
}

