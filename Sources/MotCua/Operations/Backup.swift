import Crypto
import Foundation
import NIOCore
import SQLKit
import Synchronization

/// Backups of the database and the stored files, in one engine-neutral format, so a backup of SQLite can
/// be restored into PostgreSQL and back:
///
///     manifest.json            format, schema version, tables (columns, row counts, SHA-256 of each table file), files
///     tables/<table>.jsonl     one JSON array per row, values in the manifest's column order
///     files/<sha256>           every stored file a row refers to (dossier files, form templates)
///
/// The tables are read from one snapshot (`Database.snapshot`: consistent, holding no write lock, rows
/// streamed to disk); files are content-addressed and never change, so copying them afterwards is safe. A restore goes into an empty database and data directory only.
public struct Backup: Sendable {
    public struct Manifest: Codable, Sendable {
        public struct Table: Codable, Sendable {
            public var name: String
            public var columns: [String]
            public var rows: Int
            public var sha256: String
        }

        public var format: String
        public var createdAt: String
        public var schemaVersion: Int
        public var engine: String
        public var tables: [Table]
        public var files: [String]
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    static let format = "motcua-backup/1"
    /// Every table, parents before children. `schema_migrations` is not data: a restore migrates.
    static let tables = [
        "agencies", "fields", "procedures", "required_documents", "form_templates", "catalog_state",
        "users", "units", "sessions", "account_tokens", "outbox", "throttle_events", "api_tokens",
        "dossiers", "dossier_attachments", "dossier_events", "dossier_sequences", "calendar_overrides",
        "dossier_handovers", "dossier_apologies", "dossier_deliveries", "dossier_slips", "notice_templates",
        "dossier_charges", "payment_attempts", "payment_receipt_sequences", "payment_receipts", "payment_refunds",
        "dossier_ratings", "questions",
    ]

    /// Tables made from others and not backed up: the statistics day counters and the work lists' counters
    /// are rebuilt by the triggers on `dossiers` as a restore inserts its rows (or by the back-fill of M0020 and
    /// M0025 when the backup predates them).
    static let derivedTables: Set<String> = ["dossier_day_counts", "dossier_queue_counts"]

    /// Columns that point at a table restored after their own (users and units point at each other: a unit's
    /// head, a person's unit). They are loaded as NULL with their rows and set once every table is in.
    static let forwardReferences: [String: Set<String>] = ["users": ["unit_id"]]

    let database: any Database
    let fileStore: any FileStore

    public init(database: any Database, fileStore: any FileStore) {
        self.database = database
        self.fileStore = fileStore
    }

    // MARK: Backup

    /// Writes a backup into `directory`, which must not exist yet (or be empty).
    @discardableResult
    public func write(to directory: URL) async throws -> Manifest {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory.path), !(try manager.contentsOfDirectory(atPath: directory.path)).isEmpty {
            throw Failure("\(directory.path) is not empty; choose a new directory for the backup.")
        }
        try manager.createDirectory(at: directory.appendingPathComponent("tables"), withIntermediateDirectories: true)
        try manager.createDirectory(at: directory.appendingPathComponent("files"), withIntermediateDirectories: true)
        let engine = database.engine
        let tablesDirectory = directory.appendingPathComponent("tables")
        // A snapshot that holds no write lock: the running portal keeps writing while a large backup is read.
        // Rows stream from the database to the table files; no table is held in memory.
        let (schemaVersion, tables, files) = try await database.snapshot { db in
            let version = try await db.raw("SELECT MAX(version) AS v FROM schema_migrations").first()?.decode(column: "v", as: Int?.self) ?? 0
            var tables: [Manifest.Table] = []
            for table in Self.tables {
                let columns = try await TableColumns.read(table, engine: engine, in: db)
                let writer = try TableFileWriter(url: tablesDirectory.appendingPathComponent("\(table).jsonl"))
                try await db.raw("SELECT * FROM \(ident: table)").run { row in writer.append(row, columns: columns) }
                let (rows, sha256) = try writer.finish()
                tables.append(Manifest.Table(name: table, columns: columns.map(\.name), rows: rows, sha256: sha256))
            }
            let files = try await db.raw("""
                SELECT sha256 FROM dossier_attachments UNION SELECT sha256 FROM form_templates UNION SELECT sha256 FROM dossier_slips WHERE sha256 <> ''
                UNION SELECT sha256 FROM payment_receipts WHERE sha256 IS NOT NULL
                """).all().map { try $0.decode(column: "sha256", as: String.self) }
            return (version, tables, files.sorted())
        }
        for sha in files {
            try await copyStoredFile(sha, to: directory.appendingPathComponent("files/\(sha)"))
        }
        let manifest = Manifest(format: Self.format, createdAt: ISO8601DateFormatter().string(from: Date()),
                                schemaVersion: schemaVersion, engine: engine == .sqlite ? "sqlite" : "postgres", tables: tables, files: files)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // The manifest last: a backup without one is incomplete.
        try encoder.encode(manifest).write(to: directory.appendingPathComponent("manifest.json"), options: .atomic)
        return manifest
    }

    /// Copies one stored file into the backup, checking its SHA-256 as it goes (1 MiB at a time).
    private func copyStoredFile(_ sha: String, to target: URL) async throws {
        guard let path = fileStore.localPath(sha256: sha) else {
            let bytes = try await fileStore.read(sha256: sha)
            let data = Data(bytes.readableBytesView)
            guard Self.sha256(data) == sha else { throw Failure("Stored file \(sha) does not match its SHA-256: the store is damaged.") }
            try data.write(to: target, options: .atomic)
            return
        }
        guard FileManager.default.createFile(atPath: target.path, contents: nil),
              let input = FileHandle(forReadingAtPath: path), let output = FileHandle(forWritingAtPath: target.path)
        else { throw Failure("Stored file \(sha) could not be copied.") }
        defer {
            try? input.close()
            try? output.close()
        }
        var hasher = SHA256()
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            try output.write(contentsOf: chunk)
        }
        try output.synchronize()
        guard hasher.finalize().hexDigits == sha else {
            throw Failure("Stored file \(sha) does not match its SHA-256: the store is damaged.")
        }
    }

    // MARK: Restore

    /// Checks a backup: its manifest, every table file and every stored file against their SHA-256.
    public static func verify(_ directory: URL) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("manifest.json").path) else {
            throw Failure("No manifest.json in \(directory.path): not a MotCua backup, or an incomplete one.")
        }
        let manifest = try JSONDecoder().decode(Manifest.self, from: data)
        guard manifest.format == format else { throw Failure("Unknown backup format \(manifest.format).") }
        for table in manifest.tables {
            let contents = try Data(contentsOf: directory.appendingPathComponent("tables/\(table.name).jsonl"))
            guard sha256(contents) == table.sha256 else { throw Failure("tables/\(table.name).jsonl is damaged (SHA-256 differs).") }
        }
        for sha in manifest.files {
            let contents = try Data(contentsOf: directory.appendingPathComponent("files/\(sha)"))
            guard sha256(contents) == sha else { throw Failure("files/\(sha) is damaged (SHA-256 differs).") }
        }
        return manifest
    }

    /// Restores `directory` into this (empty) database and file store: migrates to the backup's schema
    /// version, loads every table in one transaction, copies the files, then applies newer migrations.
    public func restore(from directory: URL, migrator: Migrator) async throws -> Manifest {
        let manifest = try Self.verify(directory)
        try await migrator.migrate(upTo: manifest.schemaVersion)
        let engine = database.engine
        try await database.transaction { db in
            for table in manifest.tables {
                let count = try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table.name)").first()?.decode(column: "n", as: Int.self) ?? 0
                // The catalog state row exists from the migration; anything else means the target is not empty.
                if count > 0, table.name != "catalog_state" {
                    throw Failure("The target database already holds data (\(table.name)); restore into an empty one.")
                }
            }
            try await db.raw("DELETE FROM catalog_state").run()
            // (table, column, row id, value) of the forward references, set after the loop.
            var deferred: [(String, String, any Encodable & Sendable, any Encodable & Sendable)] = []
            for table in manifest.tables {
                let columns = try await TableColumns.read(table.name, engine: engine, in: db)
                let kinds = Dictionary(uniqueKeysWithValues: columns.map { ($0.name, $0.kind) })
                let names = table.columns
                guard names.allSatisfy({ kinds[$0] != nil }) else {
                    throw Failure("\(table.name) has columns this version does not know: \(names.filter { kinds[$0] == nil }).")
                }
                let text = try String(contentsOf: directory.appendingPathComponent("tables/\(table.name).jsonl"), encoding: .utf8)
                let rows = text.split(separator: "\n", omittingEmptySubsequences: true)
                for batch in stride(from: 0, to: rows.count, by: 200) {
                    var insert: SQLQueryString = "INSERT INTO \(ident: table.name) (\(idents: names, joinedBy: ", ")) VALUES "
                    for (index, line) in rows[batch..<min(batch + 200, rows.count)].enumerated() {
                        var values = try TableColumns.decodeRow(line, columns: names.map { ($0, kinds[$0]!) }, engine: engine)
                        for column in Self.forwardReferences[table.name] ?? [] {
                            guard let position = names.firstIndex(of: column), let idPosition = names.firstIndex(of: "id"),
                                  let reference = values[position] as? Int64  // a NULL stays as it is
                            else { continue }
                            deferred.append((table.name, column, values[idPosition], reference))
                            values[position] = Int64?.none
                        }
                        insert += index == 0 ? "(" : ", ("
                        insert += values.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
                        insert += ")"
                    }
                    try await db.raw(insert).run()
                }
                if engine == .postgres, names.contains("id"), kinds["id"] == .integer {
                    try await db.raw("""
                        SELECT setval(pg_get_serial_sequence(\(literal: table.name), 'id'), COALESCE((SELECT MAX(id) FROM \(ident: table.name)), 0) + 1, false)
                        """).run()
                }
            }
            for (table, column, id, value) in deferred {
                try await db.raw("UPDATE \(ident: table) SET \(ident: column) = \(bind: value) WHERE id = \(bind: id)").run()
            }
        }
        for sha in manifest.files {
            let data = try Data(contentsOf: directory.appendingPathComponent("files/\(sha)"))
            let stored = try await fileStore.write(bytes: Array(data))
            guard stored.sha256 == sha else { throw Failure("files/\(sha) changed while restoring.") }
        }
        try await migrator.migrate()
        return manifest
    }

    static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).hexDigits
    }
}

/// Writes one table of a backup as rows arrive from the database: JSON lines to the file, the SHA-256 as
/// it goes, and the row count. Rows come through SQLKit's synchronous row callback, hence the lock.
final class TableFileWriter: Sendable {
    private struct State {
        var handle: FileHandle
        var hasher = SHA256()
        var rows = 0
        var failure: (any Error)?
    }

    private let state: Mutex<State>

    init(url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil), let handle = FileHandle(forWritingAtPath: url.path) else {
            throw Backup.Failure("Could not create \(url.path).")
        }
        state = Mutex(State(handle: handle))
    }

    func append(_ row: any SQLRow, columns: [TableColumns.Column]) {
        state.withLock { state in
            guard state.failure == nil else { return }
            do {
                let line = Data((try TableColumns.encodeRow(row, columns: columns) + "\n").utf8)
                state.hasher.update(data: line)
                try state.handle.write(contentsOf: line)
                state.rows += 1
            } catch {
                state.failure = error
            }
        }
    }

    /// Flushes and closes the file; the row count and the SHA-256 of what was written.
    func finish() throws -> (rows: Int, sha256: String) {
        try state.withLock { state in
            if let failure = state.failure { throw failure }
            try state.handle.synchronize()
            try state.handle.close()
            return (state.rows, state.hasher.finalize().hexDigits)
        }
    }
}

/// The columns of a table as the engine declares them, reduced to the three kinds the schema uses.
enum TableColumns {
    enum Kind: Sendable { case integer, boolean, text }

    struct Column: Sendable {
        var name: String
        var kind: Kind
    }

    static func read(_ table: String, engine: DatabaseEngine, in db: any SQLDatabase) async throws -> [Column] {
        switch engine {
        case .sqlite:
            return try await db.raw("SELECT name, type FROM pragma_table_info(\(bind: table)) ORDER BY cid").all().map { row in
                let type = try row.decode(column: "type", as: String.self).uppercased()
                return Column(name: try row.decode(column: "name"), kind: type.contains("INT") ? .integer : .text)
            }
        case .postgres:
            return try await db.raw("""
                SELECT column_name, data_type FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = \(bind: table) ORDER BY ordinal_position
                """).all().map { row in
                    let type = try row.decode(column: "data_type", as: String.self)
                    let kind: Kind = type.contains("int") ? .integer : type == "boolean" ? .boolean : .text
                    return Column(name: try row.decode(column: "column_name"), kind: kind)
                }
        }
    }

    /// One row as a JSON array: integers as numbers, booleans as true/false, text as strings, NULL as null.
    static func encodeRow(_ row: any SQLRow, columns: [Column]) throws -> String {
        var values: [Any] = []
        for column in columns {
            switch column.kind {
            case .integer: values.append(try row.decode(column: column.name, as: Int64?.self) ?? NSNull())
            case .boolean: values.append(try row.decode(column: column.name, as: Bool?.self) ?? NSNull())
            case .text: values.append(try row.decode(column: column.name, as: String?.self) ?? NSNull())
            }
        }
        let data = try JSONSerialization.data(withJSONObject: values, options: [.withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// A row of a backup as bind values for `engine`; SQLite keeps booleans as 0/1.
    static func decodeRow(_ line: Substring, columns: [(String, Kind)], engine: DatabaseEngine) throws -> [any Encodable & Sendable] {
        guard let values = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any], values.count == columns.count else {
            throw Backup.Failure("A row does not match its table's columns.")
        }
        return try zip(values, columns).map { value, column -> any Encodable & Sendable in
            if value is NSNull {
                // A NULL of the column's own type: PostgreSQL checks parameter types.
                switch column.1 {
                case .integer: return Int64?.none
                case .boolean: return engine == .sqlite ? Int64?.none : Bool?.none
                case .text: return String?.none
                }
            }
            switch column.1 {
            case .integer:
                if let number = value as? NSNumber { return number.int64Value }
                throw Backup.Failure("Column \(column.0) expects a number.")
            case .boolean:
                guard let number = value as? NSNumber else { throw Backup.Failure("Column \(column.0) expects true or false.") }
                return engine == .sqlite ? Int64(number.boolValue ? 1 : 0) : number.boolValue
            case .text:
                if let text = value as? String { return text }
                throw Backup.Failure("Column \(column.0) expects text.")
            }
        }
    }
}
