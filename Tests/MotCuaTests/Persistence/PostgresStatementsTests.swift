import Foundation
import PostgresNIO
import SQLKit
import Testing

@testable import MotCua

/// Statements prepared once per connection (`PostgresStatements`): the same answers as unnamed statements,
/// one prepared statement per text and binding types, and no connection left unable to run a statement that
/// once failed to prepare. PostgreSQL only; on SQLite the tests return at once.
@Suite("PostgreSQL prepared statements")
struct PostgresStatementsTests {
    /// Runs `body` on one pooled connection, through the portal's `PostgresSQL` and its statements.
    private func onOneConnection(_ body: @escaping @Sendable (PostgresSQL, PostgresStatements) async throws -> Void) async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            guard let database = dependencies.database as? MotCua.PostgresDatabase else { return }
            try await database.client.withConnection { connection in
                try await body(PostgresSQL(connection, statements: database.statements), database.statements)
            }
        }
    }

    @Test("A text run again reuses its statement and answers as an unnamed one does")
    func repeatedTextIsPreparedOnce() async throws {
        try await onOneConnection { db, statements in
            let before = statements.count
            for value in [Int64(3), 40, -7] {
                let row = try #require(try await db.raw("SELECT \(bind: value) * 2 AS doubled, \(bind: "Hồ sơ") AS label").first())
                #expect(try row.decode(column: "doubled", as: Int64.self) == value * 2)
                #expect(try row.decode(column: "label", as: String.self) == "Hồ sơ")
            }
            #expect(statements.count == before + 1)
            let unnamed = try #require(try await db.kit.raw("SELECT \(bind: Int64(40)) * 2 AS doubled").first())
            #expect(try unnamed.decode(column: "doubled", as: Int64.self) == 80)
        }
    }

    @Test("One text bound alternately with NULL and with values of another type than the column's")
    func bindingTypesAreDistinctStatements() async throws {
        try await onOneConnection { db, statements in
            try await db.raw("CREATE TEMPORARY TABLE narrow_values (id BIGINT PRIMARY KEY, x INTEGER)").run()
            let before = statements.count
            // Had the NULL gone without a type, PostgreSQL would have inferred INTEGER for $2, and an Int64 bound
            // later in binary to that statement would be refused; the name covers the bindings' types.
            for (id, x) in [(Int64(1), Int64?.none), (2, 5), (3, nil), (4, 6)] {
                try await db.raw("INSERT INTO narrow_values (id, x) VALUES (\(bind: id), \(bind: x))").run()
            }
            #expect((before + 1...before + 2).contains(statements.count))
            let sum = try #require(try await db.raw("SELECT SUM(x) AS total, COUNT(*) AS rows FROM narrow_values").first())
            #expect(try sum.decode(column: "total", as: Int64.self) == 11)
            #expect(try sum.decode(column: "rows", as: Int64.self) == 4)
        }
    }

    @Test("A statement whose preparation failed (in an aborted transaction) runs unnamed on that connection afterwards")
    func failedPreparationFallsBack() async throws {
        try await onOneConnection { db, _ in
            let probe: SQLQueryString = "SELECT \(bind: Int64(7)) AS seven, 'failed-preparation-probe' AS tag"
            try await db.raw("BEGIN").run()
            await #expect(throws: (any Error).self) { try await db.raw("SELECT 1 / 0 AS broken").run() }
            // The transaction is aborted: preparing the probe fails, and PostgresNIO keeps that failure.
            await #expect(throws: (any Error).self) { try await db.raw(probe).first() }
            try await db.raw("ROLLBACK").run()
            let row = try #require(try await db.raw(probe).first())
            #expect(try row.decode(column: "seven", as: Int64.self) == 7)
        }
    }

    @Test("Only data statements are prepared, and the process keeps a bounded number of texts")
    func preparableAndBounded() throws {
        #expect(PostgresStatements.isPreparable("SELECT 1"))
        #expect(PostgresStatements.isPreparable("with x AS (SELECT 1 AS n) SELECT n FROM x"))
        #expect(PostgresStatements.isPreparable("UPDATE dossiers SET status = $1"))
        #expect(!PostgresStatements.isPreparable("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        #expect(!PostgresStatements.isPreparable("CREATE TABLE t (id BIGINT)"))
        #expect(!PostgresStatements.isPreparable("SELECTED"))
        #expect(!PostgresStatements.isPreparable("SELECT * FROM agencies ORDER BY name"))
        #expect(!PostgresStatements.isPreparable("SELECT p.*, a.code FROM procedures p JOIN agencies a ON a.id = p.agency_id"))
        #expect(PostgresStatements.isPreparable("SELECT COUNT(*) AS n FROM dossiers WHERE agency_id = $1"))

        let statements = PostgresStatements(limit: 3)
        let a = try #require(statements.name(for: "SELECT 1", types: [], on: 1))
        #expect(a == statements.name(for: "SELECT 1", types: [], on: 2))
        let typed = try #require(statements.name(for: "SELECT $1", types: [20], on: 1))
        let null = try #require(statements.name(for: "SELECT $1", types: [0], on: 1))
        #expect(typed != null && typed != a)
        #expect(statements.name(for: "SELECT 3", types: [], on: 1) == nil)
        #expect(statements.count == 3)
        #expect(PostgresStatements(limit: 3).name(for: "SELECT * FROM units", types: [], on: 1) == nil)
        statements.failed(a, on: 1)
        #expect(statements.name(for: "SELECT 1", types: [], on: 1) == nil)
        #expect(statements.name(for: "SELECT 1", types: [], on: 2) == a)
    }
}
