import Foundation
import Logging
import SQLKit

/// One append-only schema step. Statements are static DDL (never user input); `DialectTypes` fills in the
/// few types that differ per engine.
struct Migration: Sendable {
    let version: Int
    let name: String
    let statements: @Sendable (DialectTypes) -> [String]
}

/// Applies pending migrations, all of them in one transaction: a failure leaves the schema as it was, and
/// a second run applies nothing. On PostgreSQL an advisory lock keeps two starting processes from racing.
public struct Migrator: Sendable {
    let database: any Database
    let migrations: [Migration]
    let logger: Logger

    init(database: any Database, migrations: [Migration] = Migrations.all, logger: Logger) {
        self.database = database
        self.migrations = migrations
        self.logger = logger
    }

    public init(database: any Database, logger: Logger) {
        self.init(database: database, migrations: Migrations.all, logger: logger)
    }

    /// Returns the versions applied by this call. `upTo` stops at that version (a restore loads data
    /// into the schema it was backed up from, then migrates the rest).
    @discardableResult
    public func migrate(upTo last: Int = .max) async throws -> [Int] {
        let types = DialectTypes(engine: database.engine)
        let migrations = self.migrations.sorted { $0.version < $1.version }.filter { $0.version <= last }
        let applied = try await database.transaction { db in
            if types.engine == .postgres {
                try await db.raw("SELECT pg_advisory_xact_lock(7202501)").run()
            }
            try await db.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at \(unsafeRaw: types.bigint) NOT NULL
                )
                """).run()
            let done = Set(try await db.raw("SELECT version FROM schema_migrations").all()
                .map { try $0.decode(column: "version", as: Int.self) })
            var appliedNow: [Int] = []
            for migration in migrations where !done.contains(migration.version) {
                for statement in migration.statements(types) {
                    try await db.raw("\(unsafeRaw: statement)").run()
                }
                try await db.raw("""
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Clock.nowMilliseconds()))
                    """).run()
                appliedNow.append(migration.version)
            }
            return appliedNow
        }
        for version in applied {
            logger.info("Applied migration", metadata: ["version": "\(version)"])
        }
        return applied
    }
}

enum Migrations {
    static let all: [Migration] = [
        M0001CreateCatalog.migration, M0002CreateAccounts.migration, M0003CreateDossiers.migration,
        M0004BackOffice.migration,
        M0005ListIndexes.migration,
        M0006Processing.migration,
        M0007SweepIndexes.migration,
        M0008ResultDelivery.migration,
        M0009FirstLoginPassword.migration,
        M0010DossierSlips.migration,
        M0011StepName.migration,
        M0012WalkInApplicants.migration,
        M0013Notices.migration,
        M0014SlipContent.migration,
        M0015Payments.migration,
        M0020StatisticsIndexes.migration,
        M0021Ratings.migration,
        M0022Questions.migration,
        M0023HandoverReportIndexes.migration,
        M0024HolderQueueIndex.migration,
        M0025QueueCounts.migration,
        M0026WorkListCoveringIndexes.migration,
    ]
}

