import Foundation
import SQLKit
import Testing

@testable import MotCua

/// The rows the stores read: every type the portal decodes comes back as written, NULL as nil, on both
/// engines; the direct decoding (`PostgresSQLRow`, `SQLiteCellRow`) agrees with each engine's kit for every value.
@Suite("Row decoding")
struct RowDecodingTests {
    private struct Expected: Equatable {
        var small: Int
        var big: Int64
        var narrow: Int32
        var label: String
        var flag: Bool
        var ratio: Double
        var optionalBig: Int64?
        var optionalLabel: String?
        var optionalFlag: Bool?
        var status: DossierStatus
    }

    private static let rows: [(id: Int64, Expected)] = [
        (1, Expected(small: 7, big: 1_796_373_404_486, narrow: -3, label: "Sở Nội vụ Thành phố Hồ Chí Minh", flag: true, ratio: 0.5,
                     optionalBig: 42, optionalLabel: "Nguyễn Văn A", optionalFlag: false, status: .accepted)),
        (2, Expected(small: 0, big: -1, narrow: 2_147_483_647, label: "", flag: false, ratio: -12.25,
                     optionalBig: nil, optionalLabel: nil, optionalFlag: nil, status: .returned)),
    ]

    @Test("Values come back as written and NULL as nil; a NULL or missing column for a value is an error")
    func valuesRoundTrip() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let database = dependencies.database
            try await database.transaction { db in
                try await db.raw("""
                    CREATE TABLE row_types (id BIGINT PRIMARY KEY, small INTEGER NOT NULL, big BIGINT NOT NULL,
                        narrow INTEGER NOT NULL, label TEXT NOT NULL, flag BOOLEAN NOT NULL, ratio DOUBLE PRECISION NOT NULL,
                        optional_big BIGINT, optional_label TEXT, optional_flag BOOLEAN, status INTEGER NOT NULL)
                    """).run()
                for (id, row) in Self.rows {
                    try await db.raw("""
                        INSERT INTO row_types VALUES (\(bind: id), \(bind: row.small), \(bind: row.big), \(bind: row.narrow),
                            \(bind: row.label), \(bind: row.flag), \(bind: row.ratio), \(bind: row.optionalBig),
                            \(bind: row.optionalLabel), \(bind: row.optionalFlag), \(bind: row.status.rawValue))
                        """).run()
                }
            }
            let read = try await database.read { db in
                try await db.raw("SELECT * FROM row_types ORDER BY id").all().map(Self.decode)
            }
            #expect(read == Self.rows.map(\.1))

            try await database.read { db in
                let row = try #require(try await db.raw("SELECT * FROM row_types WHERE id = 2").first())
                #expect(try row.decodeNil(column: "optional_big"))
                #expect(try !row.decodeNil(column: "big"))
                #expect(throws: (any Error).self) { try row.decode(column: "optional_big", as: Int64.self) }
                #expect(throws: (any Error).self) { try row.decode(column: "optional_label", as: String.self) }
                #expect(throws: (any Error).self) { try row.decode(column: "no_such_column", as: Int64.self) }
                #expect(row.contains(column: "label") && !row.contains(column: "no_such_column"))
            }
        }
    }

    @Test("On PostgreSQL, the direct decoding and PostgresKit's give the same values")
    func postgresDirectDecodingMatchesPostgresKit() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            guard dependencies.database.engine == .postgres else { return }
            try await dependencies.database.read { db in
                let direct = try #require(db as? PostgresSQL)
                let sql: SQLQueryString = """
                    SELECT 7 AS small, CAST(1796373404486 AS BIGINT) AS big, CAST(-3 AS INTEGER) AS narrow,
                        'Hồ sơ của tôi' AS label, TRUE AS flag, CAST(NULL AS BIGINT) AS none_big,
                        CAST(NULL AS TEXT) AS none_label, CAST(0.5 AS DOUBLE PRECISION) AS ratio, 2 AS status
                    """
                let fast = try #require(try await direct.raw(sql).first())
                let kit = try #require(try await direct.kit.raw(sql).first())
                #expect(fast is PostgresSQLRow)
                #expect(try fast.decode(column: "small", as: Int.self) == kit.decode(column: "small", as: Int.self))
                #expect(try fast.decode(column: "small", as: Int32.self) == kit.decode(column: "small", as: Int32.self))
                #expect(try fast.decode(column: "big", as: Int64.self) == kit.decode(column: "big", as: Int64.self))
                #expect(try fast.decode(column: "narrow", as: Int64.self) == kit.decode(column: "narrow", as: Int64.self))
                #expect(try fast.decode(column: "label", as: String.self) == kit.decode(column: "label", as: String.self))
                #expect(try fast.decode(column: "label", as: String?.self) == kit.decode(column: "label", as: String?.self))
                #expect(try fast.decode(column: "flag", as: Bool.self) == kit.decode(column: "flag", as: Bool.self))
                #expect(try fast.decode(column: "none_big", as: Int64?.self) == kit.decode(column: "none_big", as: Int64?.self))
                #expect(try fast.decode(column: "none_label", as: String?.self) == kit.decode(column: "none_label", as: String?.self))
                #expect(try fast.decode(column: "ratio", as: Double.self) == kit.decode(column: "ratio", as: Double.self))
                #expect(try fast.decode(column: "status", as: DossierStatus.self) == .accepted)
                // A bind PostgresNIO does not encode itself goes through PostgresKit, with the same answer.
                let wrapped = try await direct.raw("SELECT CAST(\(bind: Wrapped(text: "mã hồ sơ")) AS TEXT) AS text").first()?
                    .decode(column: "text", as: String.self)
                #expect(wrapped == "mã hồ sơ")
            }
        }
    }

    @Test("On SQLite, the direct decoding and SQLiteKit's give the same values and the same errors")
    func sqliteDirectDecodingMatchesSQLiteKit() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            guard dependencies.database.engine == .sqlite else { return }
            try await dependencies.database.read { db in
                let direct = try #require(db as? SQLiteSQL)
                let sql: SQLQueryString = """
                    SELECT 7 AS small, 1796373404486 AS big, -3 AS narrow, 'Hồ sơ của tôi' AS label, 1 AS flag, 0 AS off,
                        2 AS two, NULL AS none, 0.5 AS ratio, '12' AS digits, 2 AS status, \(bind: "mã hồ sơ") AS bound,
                        \(bind: Int64?.none) AS bound_none, \(bind: true) AS bound_flag
                    """
                let fast = try #require(try await direct.raw(sql).first())
                let kit = try #require(try await direct.kit.raw(sql).first())
                #expect(fast is SQLiteCellRow)
                func same<T: Decodable & Equatable>(_ column: String, _ type: T.Type) {
                    let a = Result { try fast.decode(column: column, as: T.self) }, b = Result { try kit.decode(column: column, as: T.self) }
                    switch (a, b) {
                    case let (.success(x), .success(y)): #expect(x == y, "\(column) as \(T.self)")
                    case (.failure, .failure): break
                    default: Issue.record("\(column) as \(T.self): \(a) against \(b)")
                    }
                }
                for column in ["small", "big", "narrow", "label", "flag", "off", "two", "none", "ratio", "digits", "status", "bound",
                               "bound_none", "bound_flag", "no_such_column"] {
                    same(column, Int.self); same(column, Int64.self); same(column, Int?.self); same(column, Int64?.self)
                    same(column, String.self); same(column, String?.self); same(column, Bool.self)
                    same(column, Bool?.self); same(column, Double.self)
                }
                #expect(try fast.decode(column: "status", as: DossierStatus.self) == .accepted)
                #expect(try fast.decode(column: "two", as: Int.self) == 2 && fast.decode(column: "label", as: String.self) == "Hồ sơ của tôi")
                #expect(try fast.decodeNil(column: "none") && !fast.decodeNil(column: "small") && fast.decodeNil(column: "no_such_column"))
            }
        }
    }

    /// An `Encodable` that is not one of PostgresNIO's types: a string in a single-value container.
    private struct Wrapped: Encodable, Sendable {
        let text: String
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(text)
        }
    }

    private static func decode(_ row: any SQLRow) throws -> Expected {
        Expected(
            small: try row.decode(column: "small", as: Int.self), big: try row.decode(column: "big", as: Int64.self),
            narrow: try row.decode(column: "narrow", as: Int32.self), label: try row.decode(column: "label", as: String.self),
            flag: try row.decode(column: "flag", as: Bool.self), ratio: try row.decode(column: "ratio", as: Double.self),
            optionalBig: try row.decode(column: "optional_big", as: Int64?.self),
            optionalLabel: try row.decode(column: "optional_label", as: String?.self),
            optionalFlag: try row.decode(column: "optional_flag", as: Bool?.self),
            status: try row.decode(column: "status", as: DossierStatus.self))
    }
}
