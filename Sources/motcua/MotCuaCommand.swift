import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import MotCua
import Prometheus

/// The entry point: parses the arguments and runs the chosen command. Everything else lives in MotCua.
@main
struct MotCuaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "motcua",
        abstract: "MotCua — cổng dịch vụ công trực tuyến và một cửa điện tử.",
        version: MotCuaVersion.string,
        subcommands: [Serve.self, Migrate.self, ImportCatalog.self, CreateUser.self, BackupCommand.self, RestoreCommand.self,
                      SweepDue.self, BenchSlips.self],
        defaultSubcommand: Serve.self)
}

/// Options every command shares: where the data lives.
struct StorageOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory (SQLite database and stored files). Env: MOTCUA_DATA_DIR.")
    var dataDir: String?

    /// The settings; a bad value stops the command with its variable named and exit code 78 (EX_CONFIG),
    /// never a silent default.
    func configuration() throws -> AppConfiguration {
        var configuration: AppConfiguration
        do {
            configuration = try AppConfiguration.fromEnvironment()
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data("motcua: configuration refused: \(error)\n".utf8))
            throw ExitCode(78)
        }
        if let dataDir { configuration.dataDirectory = URL(fileURLWithPath: dataDir, isDirectory: true) }
        return configuration
    }
}

func makeLogger(_ configuration: AppConfiguration, label: String) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardOutput(label: label)
        handler.logLevel = configuration.logLevel
        return handler
    }
    return Logger(label: label)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start the portal (default).")

    @OptionGroup var storage: StorageOptions
    @Option(help: "Address to listen on. Env: MOTCUA_HOST.") var host: String?
    @Option(help: "Port to listen on. Env: MOTCUA_PORT.") var port: Int?
    @Flag(help: "Do not load the demo catalog into an empty database.") var noDemoData = false

    func run() async throws {
        var configuration = try storage.configuration()
        if let host { configuration.host = host }
        if let port { configuration.port = port }
        if noDemoData { configuration.loadDemoData = false }
        let logger = makeLogger(configuration, label: "motcua")
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let app = try await buildApplication(configuration: configuration, metrics: registry, logger: logger)
        logger.info("MotCua is starting", metadata: [
            "url": "http://\(configuration.host):\(configuration.port)",
            "database": "\(configuration.databaseURL == nil ? "sqlite" : "postgres")",
            "dataDirectory": "\(configuration.dataDirectory.path)",
        ])
        try await app.runService()
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let configuration = try storage.configuration()
        let logger = makeLogger(configuration, label: "motcua.migrate")
        let opened = try await OpenedDatabase.open(configuration, logger: logger)
        let applied = try await opened.whileRunning { database in
            try await Migrator(database: database, logger: logger).migrate()
        }
        print(applied.isEmpty ? "Schema is up to date." : "Applied migrations: \(applied.map(String.init).joined(separator: ", "))")
    }
}

struct SweepDue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep-due",
        abstract: "Run one due sweep now (mark steps and dossiers due soon and overdue, mail their holders) and exit.")
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let configuration = try storage.configuration()
        let logger = makeLogger(configuration, label: "motcua.sweep-due")
        let opened = try await OpenedDatabase.open(configuration, logger: logger)
        let started = ContinuousClock.now
        let result = try await opened.whileRunning { database in
            try await Migrator(database: database, logger: logger).migrate()
            let sweepStarted = ContinuousClock.now
            let result = try await runDueSweep(database: database, configuration: configuration, logger: logger)
            return (result, ContinuousClock.now - sweepStarted)
        }
        let seconds = { (duration: Duration) in
            String(format: "%.3f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
        }
        let sweep = result.0
        print("Due sweep: steps due soon \(sweep.stepsDueSoon), steps overdue \(sweep.stepsOverdue), "
            + "dossiers due soon \(sweep.dossiersDueSoon), dossiers overdue \(sweep.dossiersOverdue), mails \(sweep.mails); "
            + "sweep \(seconds(result.1)) s, with opening the database \(seconds(ContinuousClock.now - started)) s.")
    }
}

/// Hidden: times the slip renderer (bench/issue12.sh). No database, no server.
struct BenchSlips: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-slips", abstract: "Time the PDF rendering of slips 01–05 and print a table.", shouldDisplay: false)
    @Option(help: "Renders of each form.") var count = 200

    func run() throws {
        guard (1...100_000).contains(count) else { throw ValidationError("--count must be 1–100000.") }
        print("form\tcount\tbytes\tmean_ms\tp50_ms\tp95_ms\tmax_ms")
        for figure in try SlipBenchmark.run(count: count, fonts: try PDFFonts.bundled()) {
            print([figure.form, String(figure.count), String(figure.bytes)].joined(separator: "\t") + "\t" + [
                figure.meanMilliseconds, figure.p50Milliseconds, figure.p95Milliseconds, figure.maxMilliseconds,
            ].map { String(format: "%.3f", $0) }.joined(separator: "\t"))
        }
    }
}

struct ImportCatalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-catalog",
        abstract: "Validate a catalog JSON file and import it (all or nothing; re-importing updates).")
    @OptionGroup var storage: StorageOptions
    @Argument(help: "The catalog file (see docs/catalog-format.md).") var file: String

    func run() async throws {
        let configuration = try storage.configuration()
        let logger = makeLogger(configuration, label: "motcua.import")
        let opened = try await OpenedDatabase.open(configuration, logger: logger)
        let url = URL(fileURLWithPath: file)
        do {
            let summary = try await opened.whileRunning { database in
                try await Migrator(database: database, logger: logger).migrate()
                let files = try LocalFileStore(root: configuration.filesDirectory)
                return try await CatalogImporter(repository: SQLCatalogRepository(database: database), fileStore: files)
                    .importFile(at: url)
            }
            print("Imported \(file): \(summary.agencies) agencies, \(summary.fields) fields, "
                + "\(summary.proceduresCreated) new and \(summary.proceduresUpdated) updated procedures.")
        } catch let error as CatalogValidationError {
            var standardError = FileHandle.standardError
            print(error.description, to: &standardError)
            print("Nothing was imported.", to: &standardError)
            throw ExitCode(65)
        }
    }
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) {
        write(Data(string.utf8))
    }
}

struct CreateUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-user",
        abstract: "Create a staff account (receptionist, processor, leader, agency_admin, system_admin).")
    @OptionGroup var storage: StorageOptions
    @Option(help: "E-mail address (the login).") var email: String
    @Option(help: "Full name.") var name: String
    @Option(help: "receptionist | processor | leader | agency_admin | system_admin") var role: String
    @Option(help: "Agency code, e.g. 000.00.07.H52 (not for system_admin).") var agency: String?
    @Option(help: "Password; generated and printed when omitted.") var password: String?
    @Option(help: "Name of an existing unit (phòng ban) of the agency to place the account in.") var unit: String?

    func run() async throws {
        guard let staffRole = StaffRole(rawValue: role) else {
            throw ValidationError("Unknown role '\(role)'. Use one of: \(StaffRole.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        if staffRole == .systemAdmin && agency != nil { throw ValidationError("A system administrator belongs to no agency.") }
        if staffRole != .systemAdmin && agency == nil { throw ValidationError("--agency is required for role \(role).") }
        if unit != nil && agency == nil { throw ValidationError("--unit needs --agency.") }
        let configuration = try storage.configuration()
        let logger = makeLogger(configuration, label: "motcua.create-user")
        let opened = try await OpenedDatabase.open(configuration, logger: logger)
        let created = try await opened.whileRunning { database in
            try await Migrator(database: database, logger: logger).migrate()
            return try await StaffAccounts.create(
                database: database, configuration: configuration, logger: logger, email: email, name: name, role: staffRole,
                agencyCode: agency, password: password, unitName: unit)
        }
        switch created {
        case .success(let password):
            print("Created \(staffRole.rawValue) \(email)\(agency.map { " in \($0)" } ?? "")\(unit.map { ", unit \($0)" } ?? "").")
            if self.password == nil { print("Password (shown once): \(password)") }
        case .failure(let message):
            var standardError = FileHandle.standardError
            print(message, to: &standardError)
            throw ExitCode(65)
        }
    }
}

/// Opens the configured database and file store for a backup step, runs it, and turns a refusal into a
/// message on standard error and exit status 1.
func runBackupStep(
    _ storage: StorageOptions, name: String, _ step: @Sendable (Backup, Migrator) async throws -> Backup.Manifest
) async throws -> Backup.Manifest {
    let configuration = try storage.configuration()
    let logger = makeLogger(configuration, label: "motcua.\(name)")
    do {
        let opened = try await OpenedDatabase.open(configuration, logger: logger)
        return try await opened.whileRunning { database in
            try await step(Backup(database: database, fileStore: try LocalFileStore(root: configuration.filesDirectory)),
                           Migrator(database: database, logger: logger))
        }
    } catch let failure as Backup.Failure {
        FileHandle.standardError.write(Data("\(name) failed: \(failure)\n".utf8))
        throw ExitCode(1)
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent backup of the database and the stored files into a new directory.")
    @OptionGroup var storage: StorageOptions
    @Option(help: "Directory to write the backup into (must not exist, or be empty).") var output: String
    @Option(help: "CPU priority of the backup (nice value, 0–19): a backup of a live portal yields the CPU to its requests.")
    var nice: Int32 = 10

    func validate() throws {
        guard (0...19).contains(nice) else { throw ValidationError("--nice takes a value from 0 to 19.") }
    }

    func run() async throws {
        ThreadNiceness.setProcess(nice)
        let target = URL(fileURLWithPath: output, isDirectory: true)
        let manifest = try await runBackupStep(storage, name: "backup") { backup, _ in try await backup.write(to: target) }
        let rows = manifest.tables.reduce(0) { $0 + $1.rows }
        print("Backup written to \(target.path): \(manifest.tables.count) tables, \(rows) rows, \(manifest.files.count) files, schema version \(manifest.schemaVersion).")
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup into an empty database (and data directory), then apply newer migrations.")
    @OptionGroup var storage: StorageOptions
    @Option(help: "Backup directory written by `motcua backup`.") var input: String

    func run() async throws {
        let source = URL(fileURLWithPath: input, isDirectory: true)
        let manifest = try await runBackupStep(storage, name: "restore") { backup, migrator in
            try await backup.restore(from: source, migrator: migrator)
        }
        let rows = manifest.tables.reduce(0) { $0 + $1.rows }
        print("Restored \(source.path): \(rows) rows, \(manifest.files.count) files.")
    }
}
