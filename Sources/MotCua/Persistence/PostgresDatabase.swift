import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import ServiceLifecycle

/// PostgreSQL through PostgresNIO's pooled client. The client must be running (it is a `Service`) for
/// queries to proceed; `run()` does that.
public struct PostgresDatabase: Database, Service {
    public let engine = DatabaseEngine.postgres
    let client: PostgresClient
    private let logger: Logger
    /// The statements prepared on the connections (see `PostgresStatements`).
    let statements = PostgresStatements()

    public init(url: String, maximumConnections: Int = 20, logger: Logger) throws {
        var configuration = try Self.configuration(fromURL: url)
        configuration.options.maximumConnections = maximumConnections
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await withTaskExecutorPreference(EventLoopTaskExecutor(connection.eventLoop)) {
                try await body(PostgresSQL(connection, statements: statements))
            }
        }
    }

    /// On PostgreSQL every read already continues on its connection's event loop.
    public func readSeveral<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await read(body)
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await withTaskExecutorPreference(EventLoopTaskExecutor(connection.eventLoop)) {
                    try await body(PostgresSQL(connection, statements: statements))
                }
            }
        } catch let error as PostgresTransactionError {
            // Callers see their own error, as on SQLite; a failed rollback or commit stays wrapped.
            if let closureError = error.closureError, error.rollbackError == nil { throw closureError }
            throw error
        }
    }

    /// A repeatable-read, read-only transaction: one snapshot of every table, and no locks writers wait for.
    public func snapshot<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            let db = PostgresSQL(connection, statements: statements)
            try await db.raw("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                do { try await db.raw("ROLLBACK").run() } catch {
                    logger.error("PostgreSQL rollback failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                throw error
            }
        }
    }

    public func run() async throws {
        await client.run()
    }

    /// Parses `postgres://user:password@host:port/database?sslmode=disable|require`.
    static func configuration(fromURL string: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: string),
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme),
              let host = components.host, !host.isEmpty
        else { throw ConfigurationError.invalid("DATABASE_URL", "expected postgres://user:password@host:port/database") }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "prefer": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default:
            throw ConfigurationError.invalid("DATABASE_URL", "sslmode must be disable, prefer, require, verify-ca or verify-full, got '\(sslMode)'")
        }
        return PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: components.user?.removingPercentEncoding ?? "postgres",
            password: components.password?.removingPercentEncoding,
            database: database.isEmpty ? nil : database,
            tls: tls
        )
    }
}
