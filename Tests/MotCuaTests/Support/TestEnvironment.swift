import Foundation
import HTTPTypes
import NIOCore
import Hummingbird
import HummingbirdTesting
import Logging
import Metrics
import PostgresNIO
import Prometheus
import SQLKit
import Testing

@testable import MotCua

/// Each test gets its own storage: a fresh data directory, and when `DATABASE_URL` names a PostgreSQL
/// server (the second run of `scripts/test`), a fresh database created through it and dropped after.
enum TestEnvironment {
    static let logger: Logger = {
        var logger = Logger(label: "motcua.tests")
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .critical
        return logger
    }()

    /// One registry for the whole test process: the metrics system can be bootstrapped only once.
    static let metrics: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static var adminURL: String? {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else { return nil }
        return url
    }

    static var engine: DatabaseEngine { adminURL == nil ? .sqlite : .postgres }

    /// Runs `body` with a configuration pointing at fresh, empty storage.
    static func withConfiguration<T: Sendable>(
        demoData: Bool = true, _ body: (AppConfiguration) async throws -> T
    ) async throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("motcua-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = AppConfiguration()
        configuration.dataDirectory = directory
        configuration.loadDemoData = demoData
        configuration.port = 0
        configuration.bcryptCost = 4  // the lowest cost: tests check behaviour, bench/ measures speed
        configuration.outboxInterval = .milliseconds(100)
        configuration.configuredPublicURL = "http://127.0.0.1:8080"
        // Every test runs an application of its own, all at once: a small pool each keeps the sum within the
        // test server's max_connections.
        configuration.databasePoolSize = 6
        guard let adminURL else { return try await body(configuration) }
        return try await postgresSlots.withSlot {
            try await withDatabase(adminURL: adminURL, configuration: configuration, body)
        }
    }

    /// Tests holding a PostgreSQL database at once (see `TestSlots`).
    static let postgresSlots = TestSlots(limit: 16)

    private static func withDatabase<T: Sendable>(
        adminURL: String, configuration base: AppConfiguration, _ body: (AppConfiguration) async throws -> T
    ) async throws -> T {
        var configuration = base
        let name = "motcua_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await adminCommand(adminURL, "CREATE DATABASE \(name)")
        configuration.databaseURL = try databaseURL(adminURL, database: name)
        do {
            let result = try await body(configuration)
            try await adminCommand(adminURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            return result
        } catch {
            try? await adminCommand(adminURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
    }

    /// The application as `motcua serve` builds it, on fresh storage, through the router test client.
    static func withApp<T: Sendable>(
        demoData: Bool = true, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> T
    ) async throws -> T {
        try await withConfiguration(demoData: demoData) { configuration in
            let app = try await buildApplication(configuration: configuration, metrics: metrics, logger: logger)
            return try await app.test(.router, test)
        }
    }

    /// The wired dependencies (repositories, importer…) on fresh, migrated storage, without HTTP.
    static func withDependencies<T: Sendable>(
        demoData: Bool = true, configure: @Sendable (inout AppConfiguration) -> Void = { _ in },
        _ body: @Sendable (AppDependencies) async throws -> T
    ) async throws -> T {
        try await withConfiguration(demoData: demoData) { base in
            var adjusted = base
            configure(&adjusted)
            let configuration = adjusted
            let opened = try await OpenedDatabase.open(configuration, logger: logger)
            return try await opened.whileRunning { database in
                let dependencies = try await AppDependencies(
                    configuration: configuration, database: database, metrics: metrics, logger: logger)
                try await dependencies.prepare()
                // Slips drawn after their steps finish before the database closes, as at a graceful shutdown.
                do {
                    let result = try await body(dependencies)
                    await dependencies.slips.drawings.drained()
                    return result
                } catch {
                    await dependencies.slips.drawings.drained()
                    throw error
                }
            }
        }
    }

    private static func adminCommand(_ url: String, _ sql: String) async throws {
        let database = try PostgresDatabase(url: url, maximumConnections: 1, logger: logger)
        try await OpenedDatabase.postgres(database).whileRunning { db in
            try await db.read { try await $0.raw("\(unsafeRaw: sql)").run() }
        }
    }

    private static func databaseURL(_ adminURL: String, database: String) throws -> String {
        guard var components = URLComponents(string: adminURL) else { throw TestSetupError.badURL }
        components.path = "/" + database
        guard let url = components.string else { throw TestSetupError.badURL }
        return url
    }

    enum TestSetupError: Error { case badURL }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func json<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(body.readableBytesView))
    }
}
