import Configuration
import Foundation

/// The portal's settings as swift-configuration reads them (environment variables today; a file provider
/// can go in front of them in `providers`). Each value is read as text and parsed by
/// `AppConfiguration.fromEnvironment` itself, because swift-configuration's typed getters fall back to the
/// default on a value they cannot read (`int(forKey:default:)` turns `MOTCUA_PORT=abc` into 8080), and a bad
/// setting must stop the start with its variable named, never run on a default.
struct EnvironmentSettings {
    private let reader: ConfigReader

    init(_ environment: [String: String]) {
        // Secrets stay out of swift-configuration's access log (CONFIG_ACCESS_LOG_FILE) and its debug descriptions.
        let secret: @Sendable (String, String) -> Bool = { name, _ in
            name == "DATABASE_URL" || name.hasSuffix("_PASSWORD") || name.hasSuffix("_API_KEY") || name.hasSuffix("_TOKEN")
        }
        reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: .dynamic(secret)),
        ])
    }

    /// The raw text of the variable `name` (e.g. `MOTCUA_SMTP_PORT`, read as the key `motcua.smtp.port`), or nil when unset.
    subscript(name: String) -> String? {
        reader.string(forKey: ConfigKey(name.lowercased().split(separator: "_").map(String.init)))
    }
}
