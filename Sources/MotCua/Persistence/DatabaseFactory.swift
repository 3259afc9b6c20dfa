import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// The database chosen by the configuration, plus how to keep it running.
public enum OpenedDatabase: Sendable {
    case sqlite(SQLiteDatabase)
    case postgres(PostgresDatabase)

    public static func open(_ configuration: AppConfiguration, logger: Logger) async throws -> OpenedDatabase {
        if let url = configuration.databaseURL {
            return .postgres(try PostgresDatabase(url: url, maximumConnections: configuration.databasePoolSize, logger: logger))
        }
        try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        return .sqlite(try await SQLiteDatabase.open(path: configuration.sqlitePath, logger: logger))
    }

    public var database: any Database {
        switch self {
        case .sqlite(let database): database
        case .postgres(let database): database
        }
    }

    /// The service that owns the connections, for an application's service group.
    public var service: any Service {
        switch self {
        case .sqlite(let database): database
        case .postgres(let database): database
        }
    }

    /// For commands outside the server: keeps the connections up while `body` runs, then closes them.
    public func whileRunning<T: Sendable>(_ body: @Sendable (any Database) async throws -> T) async throws -> T {
        switch self {
        case .sqlite(let database):
            do {
                let result = try await body(database)
                await database.close()
                return result
            } catch {
                await database.close()
                throw error
            }
        case .postgres(let database):
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await database.client.run() }
                // Cancelling the group stops the client once the body is done.
                defer { group.cancelAll() }
                return try await body(database)
            }
        }
    }
}
