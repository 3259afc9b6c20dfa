import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteNIO
import Testing

@testable import MotCua

/// Reads on SQLite keep their prepared statements per reader connection (`SQLiteReadStatements`): the same
/// answers as sqlite-nio gives, one statement per text, errors that leave the connection usable, no snapshot
/// held after a read, and a bound on the texts kept.
@Suite("SQLite reads on kept statements")
struct SQLiteReadStatementsTests {
    @Test("The portal's reads use kept statements: one per text, each call with its own binds, the same rows as sqlite-nio")
    func keptPerText() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            guard dependencies.database.engine == .sqlite else { return }
            try await dependencies.database.read { db in
                let sql = try #require(db as? SQLiteSQL)
                // Nil here means sqlite-nio no longer gives its handle away as `init?(connection:)` reads it.
                let statements = try #require(sql.statements, "the reader connection has kept statements")
                let before = await statements.count
                for value in [Int64(1), 2, 3] {
                    let row = try #require(try await sql.raw("""
                        SELECT \(bind: value) AS n, \(bind: "Hồ sơ số \(value)") AS label, \(bind: Double(value) / 2) AS half,
                            \(bind: Int64?.none) AS absent, \(bind: value % 2 == 1) AS odd
                        """).first())
                    #expect(try row.decode(column: "n", as: Int64.self) == value)
                    #expect(try row.decode(column: "label", as: String.self) == "Hồ sơ số \(value)")
                    #expect(try row.decode(column: "half", as: Double.self) == Double(value) / 2)
                    #expect(try row.decode(column: "absent", as: Int64?.self) == nil)
                    #expect(try row.decode(column: "odd", as: Bool.self) == (value % 2 == 1))
                }
                #expect(await statements.count == before + 1)
                // Statements run as they were prepared, whatever is bound: a join with `column = ?` and a `LIMIT ?`
                // too (without the planner's stability guarantee SQLite prepared both again at every run).
                func join(_ id: Int64, _ limit: Int) -> SQLQueryString {
                    "SELECT s.version, s.name FROM schema_migrations s JOIN schema_migrations t ON t.version = s.version WHERE s.version = \(bind: id) ORDER BY s.name LIMIT \(bind: limit)"
                }
                for (id, limit) in [(Int64(1), 1), (2, 5), (3, 9), (1, 2)] { _ = try await sql.raw(join(id, limit)).all() }
                #expect(await statements.reprepares(of: sql.serialize(join(1, 1)).sql) == 0)

                // Many rows, text with quotes and a NUL-free emoji, a blob: as sqlite-nio reads them.
                let query: SQLQueryString = """
                    WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 300)
                    SELECT i, 'Nguyễn ''Văn'' An 🇻🇳 ' || i AS name, CAST(x'00ff10' AS BLOB) AS bytes, NULL AS none FROM k
                    """
                let kept = try await sql.raw(query).all()
                let plain = try await sql.kit.raw(query).all()
                #expect(kept.count == 300 && plain.count == 300)
                for (a, b) in zip(kept, plain) {
                    #expect(try a.decode(column: "i", as: Int.self) == b.decode(column: "i", as: Int.self))
                    #expect(try a.decode(column: "name", as: String.self) == b.decode(column: "name", as: String.self))
                    #expect(try a.decode(column: "bytes", as: Data.self) == b.decode(column: "bytes", as: Data.self))
                    #expect(try a.decodeNil(column: "none") && b.decodeNil(column: "none"))
                    #expect(a.allColumns == b.allColumns)
                }
            }
        }
    }

    @Test("A refused read throws SQLite's message and leaves the connection and its statements usable")
    func errorsLeaveTheConnectionUsable() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            guard dependencies.database.engine == .sqlite else { return }
            try await dependencies.database.read { db in
                let sql = try #require(db as? SQLiteSQL)
                #expect(sql.statements != nil)
                let error = await #expect(throws: SQLiteReadError.self) { _ = try await sql.raw("SELECT * FROM no_such_table").all() }
                #expect(error?.message == "no such table: no_such_table")
                // A run-time error half-way through the rows, then the same text again with a good bind.
                let text: SQLQueryString = "SELECT CASE WHEN i > 2 THEN abs(\(bind: Int64.min)) ELSE i END AS v FROM (SELECT 1 AS i UNION ALL SELECT 2 UNION ALL SELECT 3)"
                await #expect(throws: SQLiteReadError.self) { _ = try await sql.raw(text).all() }
                #expect(try await sql.raw("SELECT 41 + 1 AS v").first()?.decode(column: "v", as: Int.self) == 42)
            }
        }
    }

    @Test("A read releases its snapshot: another connection's writes show at the next read, and the WAL checkpoints whole")
    func noSnapshotHeld() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("motcua-kept-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("test.sqlite").path
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        func open() async throws -> SQLiteConnection {
            try await SQLiteConnection.open(storage: .file(path: path), threadPool: pool, logger: Logger(label: "test"),
                                            on: MultiThreadedEventLoopGroup.singleton.any())
        }
        let writer = try await open(), reader = try await open()
        let statements = try #require(SQLiteReadStatements(connection: reader, pool: pool))
        let kept = SQLiteSQL(reader, statements: statements), plain = SQLiteSQL(writer)
        func count() async throws -> Int? { try await kept.raw("SELECT COUNT(*) AS n FROM notes").first()?.decode(column: "n", as: Int.self) }
        do {
            _ = try await plain.raw("PRAGMA journal_mode=WAL").all()
            try await plain.raw("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)").run()
            try await plain.raw("INSERT INTO notes (text) VALUES ('một')").run()
            #expect(try await count() == 1)
            try await plain.raw("INSERT INTO notes (text) VALUES ('hai')").run()
            #expect(try await count() == 2)  // not the older snapshot
            let checkpoint = try await plain.raw("PRAGMA wal_checkpoint(TRUNCATE)").first()
            #expect(try checkpoint?.decode(column: "busy", as: Int.self) == 0)
        } catch {
            Issue.record(error)
        }
        await statements.close()
        try await reader.close()
        try await writer.close()
        try await pool.shutdownGracefully()
    }

    @Test("At most `limit` texts stay prepared; the least recently used goes first and comes back when asked")
    func bounded() async throws {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let connection = try await SQLiteConnection.open(storage: .memory, threadPool: pool, logger: Logger(label: "test"),
                                                         on: MultiThreadedEventLoopGroup.singleton.any())
        do {
            let statements = try #require(SQLiteReadStatements(connection: connection, pool: pool, limit: 2))
            let sql = SQLiteSQL(connection, statements: statements)
            func value(_ text: String) async throws -> Int? {
                try await sql.raw(SQLQueryString(text)).first()?.decode(column: "v", as: Int.self)
            }
            #expect(try await value("SELECT 1 AS v") == 1)
            #expect(try await value("SELECT 2 AS v") == 2)
            #expect(try await value("SELECT 1 AS v") == 1)  // now the most recent
            #expect(try await value("SELECT 3 AS v") == 3)  // "SELECT 2" goes
            #expect(await statements.count == 2)
            #expect(try await value("SELECT 2 AS v") == 2)
            #expect(await statements.count == 2)
            // Writes never take the kept path.
            #expect(!SQLiteReadStatements.isRead("INSERT INTO t VALUES (1)") && SQLiteReadStatements.isRead("WITH x AS (SELECT 1) SELECT * FROM x"))
            await statements.close()
            #expect(await statements.count == 0)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
        try await pool.shutdownGracefully()
    }
}
