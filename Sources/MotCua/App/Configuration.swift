import Foundation
import Logging

public struct ConfigurationError: Error, CustomStringConvertible {
    public let variable: String
    public let message: String
    public static func invalid(_ variable: String, _ message: String) -> ConfigurationError {
        ConfigurationError(variable: variable, message: message)
    }
    public var description: String { "\(variable): \(message)" }
}

/// Everything the portal reads from its environment, resolved once at start.
public struct AppConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// Holds the SQLite database (`motcua.sqlite`) and stored files (`files/`).
    public var dataDirectory: URL = URL(fileURLWithPath: "data", isDirectory: true)
    /// `postgres://…` selects PostgreSQL; nil means the embedded SQLite database.
    public var databaseURL: String?
    /// Load the demo catalog into an empty database at start.
    public var loadDemoData: Bool = true
    public var logLevel: Logger.Level = .info

    public init() {}

    /// Reads `MOTCUA_HOST`, `MOTCUA_PORT`, `MOTCUA_DATA_DIR`, `DATABASE_URL`, `MOTCUA_DEMO_DATA`, `LOG_LEVEL`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfiguration {
        var configuration = AppConfiguration()
        if let host = environment["MOTCUA_HOST"], !host.isEmpty { configuration.host = host }
        if let port = environment["MOTCUA_PORT"], !port.isEmpty {
            guard let value = Int(port), (1...65535).contains(value) else {
                throw ConfigurationError.invalid("MOTCUA_PORT", "expected a port number, got '\(port)'")
            }
            configuration.port = value
        }
        if let directory = environment["MOTCUA_DATA_DIR"], !directory.isEmpty {
            configuration.dataDirectory = URL(fileURLWithPath: directory, isDirectory: true)
        }
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw ConfigurationError.invalid("DATABASE_URL", "only postgres:// URLs are supported")
            }
            configuration.databaseURL = url
        }
        if let demo = environment["MOTCUA_DEMO_DATA"] {
            configuration.loadDemoData = !["0", "false", "no"].contains(demo.lowercased())
        }
        if let level = environment["LOG_LEVEL"], let parsed = Logger.Level(rawValue: level.lowercased()) {
            configuration.logLevel = parsed
        }
        return configuration
    }

    public var sqlitePath: String { dataDirectory.appendingPathComponent("motcua.sqlite").path }
    public var filesDirectory: URL { dataDirectory.appendingPathComponent("files", isDirectory: true) }
}
