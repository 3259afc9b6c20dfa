import Foundation
import HTTPTypes
import NIOCore
import SQLKit
import Testing

@testable import MotCua

@Suite("Migrations")
struct MigratorTests {
    @Test("A second run applies nothing")
    func secondRunAppliesNothing() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let migrator = Migrator(database: dependencies.database, logger: TestEnvironment.logger)
            // `prepare()` already migrated; running again must find nothing to do.
            #expect(try await migrator.migrate().isEmpty)
            let versions = try await dependencies.database.read { db in
                try await db.raw("SELECT version FROM schema_migrations ORDER BY version").all()
                    .map { try $0.decode(column: "version", as: Int.self) }
            }
            #expect(versions == Migrations.all.map(\.version))
        }
    }

    @Test("A failing migration leaves the schema as it was")
    func failedMigrationRollsBack() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let broken = Migration(version: 9_999, name: "broken") { _ in
                ["CREATE TABLE half_done (id INTEGER PRIMARY KEY)", "THIS IS NOT SQL"]
            }
            let migrator = Migrator(
                database: dependencies.database, migrations: Migrations.all + [broken], logger: TestEnvironment.logger)
            await #expect(throws: (any Error).self) { try await migrator.migrate() }
            let tableCount = try await dependencies.database.read { db in
                let sql: SQLQueryString = dependencies.database.engine == .sqlite
                    ? "SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'half_done'"
                    : "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_name = 'half_done'"
                return try await db.raw(sql).first()?.decode(column: "n", as: Int.self)
            }
            #expect(tableCount == 0)
            let recorded = try await dependencies.database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM schema_migrations WHERE version = 9999").first()?
                    .decode(column: "n", as: Int.self)
            }
            #expect(recorded == 0)
        }
    }
}

@Suite("Database")
struct DatabaseTests {
    @Test("Concurrent transactions do not interleave")
    func transactionsAreSerializable() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let database = dependencies.database
            try await database.transaction { db in
                try await db.raw("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)").run()
                try await db.raw("INSERT INTO counter (id, value) VALUES (1, 0)").run()
            }
            // Read-modify-write in each transaction: lost updates would show as a final value below 40.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await database.transaction { db in
                            let lock: SQLQueryString = database.engine == .postgres
                                ? "SELECT value FROM counter WHERE id = 1 FOR UPDATE" : "SELECT value FROM counter WHERE id = 1"
                            let value = try await db.raw(lock).first()!.decode(column: "value", as: Int.self)
                            try await db.raw("UPDATE counter SET value = \(bind: value + 1) WHERE id = 1").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let final = try await database.read { db in
                try await db.raw("SELECT value FROM counter WHERE id = 1").first()!.decode(column: "value", as: Int.self)
            }
            #expect(final == 40)
        }
    }

    @Test("A throwing transaction writes nothing")
    func rollbackOnError() async throws {
        struct Boom: Error {}
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let database = dependencies.database
            try await database.transaction { try await $0.raw("CREATE TABLE notes (body TEXT NOT NULL)").run() }
            await #expect(throws: Boom.self) {
                try await database.transaction { db in
                    try await db.raw("INSERT INTO notes (body) VALUES ('lost')").run()
                    throw Boom()
                }
            }
            let count = try await database.read {
                try await $0.raw("SELECT COUNT(*) AS n FROM notes").first()!.decode(column: "n", as: Int.self)
            }
            #expect(count == 0)
        }
    }

    @Test("SQLite runs in WAL mode", .enabled(if: TestEnvironment.engine == .sqlite))
    func sqliteUsesWAL() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let mode = try await dependencies.database.read {
                try await $0.raw("PRAGMA journal_mode").first()!.decode(column: "journal_mode", as: String.self)
            }
            #expect(mode == "wal")
        }
    }
}
