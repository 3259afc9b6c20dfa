import Foundation
import NIOCore
import SQLKit
import Testing

@testable import MotCua

@Suite("Backup and restore")
struct BackupTests {
    private static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("motcua-backup-\(UUID().uuidString)", isDirectory: true)
    }

    @Test("The backup covers every table the migrations create")
    func everyTable() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let names: [String] = try await dependencies.database.read { db in
                switch dependencies.database.engine {
                case .sqlite:
                    try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
                        .map { try $0.decode(column: "name") }
                case .postgres:
                    try await db.raw("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()").all()
                        .map { try $0.decode(column: "name") }
                }
            }
            #expect(Set(names).subtracting(["schema_migrations"]).subtracting(Backup.derivedTables) == Set(Backup.tables))
        }
    }

    @Test("A backup restored into fresh storage holds every dossier, file and account, and the portal goes on from there")
    func roundTrip() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scan = Array("%PDF-1.7\nbản quét giấy tờ \(UUID())\n%%EOF\n".utf8)
        let original = try await TestEnvironment.withDependencies { dependencies in
            let filing = try await Filing.make(dependencies)
            let draft = try await filing.draft()
            let file = try await dependencies.fileStore.write(bytes: scan)
            try await dependencies.dossiers.addAttachment(dossierID: draft.id, applicant: filing.applicant, documentPosition: 0, file: file,
                                                         contentType: "application/pdf", displayName: "Bản quét.pdf")
            let submitted = try await dependencies.dossiers.submit(dossierID: draft.id, applicant: filing.applicant)
            let (desk, _) = try await dependencies.accounts.createStaff(
                email: "tn@example.vn", name: "Tiếp nhận", role: .receptionist, agencyCode: Filing.agency, password: "Tiep-nhan-2026-x")
            // The desk heads its unit: units and users point at each other, which the restore must untangle.
            try await dependencies.database.transaction { db in
                try await db.raw("UPDATE units SET head_user_id = \(bind: desk.id) WHERE name = \(bind: ProcessStep.receptionUnit)").run()
                try await db.raw("""
                    UPDATE users SET unit_id = (SELECT MIN(id) FROM units WHERE name = \(bind: ProcessStep.receptionUnit)) WHERE id = \(bind: desk.id)
                    """).run()
            }
            let accepted = try await dependencies.workflow.perform(.accept, on: submitted.id, by: desk, note: "")
            #expect(accepted.progress.holderUnitHeadID == desk.id)
            let manifest = try await Backup(database: dependencies.database, fileStore: dependencies.fileStore).write(to: directory)
            #expect(manifest.files.contains(file.sha256))
            #expect(manifest.tables.first { $0.name == "dossiers" }?.rows == 1)
            // A second backup into the same directory is refused.
            await #expect(throws: Backup.Failure.self) {
                try await Backup(database: dependencies.database, fileStore: dependencies.fileStore).write(to: directory)
            }
            let handovers = try await dependencies.dossiers.store.handovers(dossierID: accepted.id)
            #expect(handovers.count == 1)
            return (accepted, try await dependencies.dossiers.store.events(dossierID: accepted.id), file.sha256, handovers)
        }
        let (dossier, events, sha, handovers) = original

        try await TestEnvironment.withConfiguration(demoData: false) { configuration in
            let opened = try await OpenedDatabase.open(configuration, logger: TestEnvironment.logger)
            try await opened.whileRunning { database in
                let store = try LocalFileStore(root: configuration.filesDirectory)
                let backup = Backup(database: database, fileStore: store)
                _ = try await backup.restore(from: directory, migrator: Migrator(database: database, logger: TestEnvironment.logger))
                let restored = try #require(try await DossierStore(database: database).dossier(id: dossier.id))
                #expect(restored == dossier)
                #expect(try await DossierStore(database: database).events(dossierID: dossier.id) == events)
                #expect(try await DossierStore(database: database).handovers(dossierID: dossier.id) == handovers)
                #expect(Array(try await store.read(sha256: sha).readableBytesView) == scan)
                // Units and the people in them, which point at each other, come back together.
                let head = try #require(try await UserStore(database: database).credentials(email: "truongphong.h52@motcua.demo")?.user)
                let office = try #require(try await UnitStore(database: database).units(agencyCode: "000.00.07.H52")
                    .first { $0.name == "Phòng Công chức, viên chức" })
                #expect(head.unitID == office.id && office.headUserID == head.id && office.memberCount == 2)
                // Restoring again into what is now full is refused.
                await #expect(throws: Backup.Failure.self) {
                    _ = try await backup.restore(from: directory, migrator: Migrator(database: database, logger: TestEnvironment.logger))
                }

                // The restored portal goes on: sign-in data, new ids and the day's code sequence continue.
                let dependencies = try await AppDependencies(
                    configuration: configuration, database: database, metrics: TestEnvironment.metrics, logger: TestEnvironment.logger)
                try await dependencies.prepare()
                #expect(try await UserStore(database: database).credentials(email: "tn@example.vn") != nil)
                let filing = try await Filing.make(dependencies, email: "moi@example.vn")
                let next = try await dependencies.dossiers.submit(dossierID: try await filing.draft().id, applicant: filing.applicant)
                #expect(next.id > dossier.id)
                #expect(next.code?.hasSuffix("-0002") == true, "\(next.code ?? "")")
            }
        }
    }

    // With the backup in a write transaction (as before), the write below waits for the snapshot to end, which
    // waits for the write: the test hangs and the time limit fails it.
    @Test("A backup reads a snapshot that holds no write lock: the portal writes while it runs, and the backup does not see those writes",
          .timeLimit(.minutes(10)))  // a hang guard: a full parallel suite on a loaded 2-core machine took over a minute to get here
    func snapshotDoesNotBlockWriters() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let database = dependencies.database
            let insert: @Sendable (String) async throws -> Void = { subject in
                try await database.transaction { db in
                    try await db.raw("INSERT INTO throttle_events (scope, subject, at) VALUES ('backup-test', \(bind: subject), 1)").run()
                }
            }
            try await insert("before")
            let count: @Sendable (any SQLDatabase) async throws -> Int = { db in
                try await db.raw("SELECT COUNT(*) AS n FROM throttle_events WHERE scope = 'backup-test'").first()?.decode(column: "n", as: Int.self) ?? -1
            }
            let (inSnapshot, afterWrite) = try await database.snapshot { db in
                let first = try await count(db)
                // A write while the snapshot is open: with the backup in a write transaction this waited for the
                // whole backup (and on SQLite failed after busy_timeout on a large database).
                try await insert("during")
                return (first, try await count(db))
            }
            #expect(inSnapshot == 1 && afterWrite == 1, "the snapshot saw \(inSnapshot), then \(afterWrite)")
            #expect(try await database.read(count) == 2)
        }
    }

    @Test("A damaged backup is refused before anything is written")
    func damaged() async throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestEnvironment.withDependencies { dependencies in
            _ = try await Backup(database: dependencies.database, fileStore: dependencies.fileStore).write(to: directory)
        }
        let table = directory.appendingPathComponent("tables/procedures.jsonl")
        var contents = try Data(contentsOf: table)
        contents[contents.count / 2] ^= 0x01
        try contents.write(to: table)
        #expect(throws: Backup.Failure.self) { try Backup.verify(directory) }
    }
}
