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
    /// On first start: load the demo catalog, and create one staff account per role for each demo
    /// agency (their logins are printed).
    public var loadDemoData: Bool = true
    public var logLevel: Logger.Level = .info
    /// The address people reach the portal at; links in e-mails start with it. Unset: the address the
    /// portal listens on.
    public var configuredPublicURL: String?
    public var publicURL: String { configuredPublicURL ?? "http://\(host):\(port)" }
    /// bcrypt cost for passwords (each step doubles the time). 11 keeps a login between 50 and 250 ms on
    /// the 2-core reference machine (bench/accounts.sh measures it).
    public var bcryptCost: UInt8 = 11
    /// SMTP server for outgoing mail; nil writes mail to the log and the administrator's outbox page.
    public var smtp: SMTPSettings?
    public var mailFrom: String = "khong-tra-loi@motcua.local"
    /// SMS gateway for text notices (`MOTCUA_SMS_GATEWAY_URL`, `MOTCUA_SMS_API_KEY`, `MOTCUA_SMS_SENDER`);
    /// nil writes SMS to the log and the administrator's outbox page.
    public var sms: SMSSettings?
    /// Upload limits for dossier files (`MOTCUA_MAX_FILE_MB`, `MOTCUA_MAX_DOSSIER_MB`).
    public var maxFileBytes: Int64 = 20 * 1_048_576
    public var maxDossierBytes: Int64 = 100 * 1_048_576
    /// Drafts untouched this long are removed with their files (`MOTCUA_DRAFT_MAX_AGE_DAYS`).
    public var draftMaxAge: Duration = .seconds(30 * 24 * 60 * 60)
    /// How often the outbox is checked for mail to send.
    public var outboxInterval: Duration = .seconds(2)
    /// A connection that sends nothing for this long (between requests, or in the middle of an upload) is
    /// closed, so stalled clients cannot hold connections forever (`MOTCUA_IDLE_TIMEOUT_SECONDS`).
    public var idleTimeoutSeconds: Int64 = 60
    /// Stored files no row refers to, and temp files, are removed once this old (`MOTCUA_FILE_SWEEP_GRACE_SECONDS`):
    /// long enough for any upload still on its way to its commit, in any process sharing the files.
    public var fileSweepGraceSeconds: Int64 = 3600
    /// The bearer token Prometheus sends for `/metrics` (`MOTCUA_METRICS_TOKEN`, at least 16 characters);
    /// unset: `/metrics` is off.
    public var metricsToken: String?
    /// Connections each process may open to PostgreSQL (`MOTCUA_DB_POOL_SIZE`). With N processes the server's
    /// `max_connections` must exceed N × this.
    public var databasePoolSize = 20
    /// Office hours for the time allowed to process steps (`MOTCUA_OFFICE_HOURS`, "07:30-11:30,13:00-17:00").
    public var officeHours = OfficeHours.standard
    /// A step or dossier this close to its due moment, in half working days of office time, is "due soon"
    /// (`MOTCUA_DUE_SOON_DAYS`, working days in steps of 0.5; default 1).
    public var dueSoonHalfDays = 2
    /// How often the due sweep runs (`MOTCUA_DUE_SWEEP_SECONDS`, default 900: every 15 minutes).
    public var dueSweepSeconds: Int64 = 900
    /// Each agency's VNPay merchant settings, by agency code, read from the JSON file `MOTCUA_VNPAY_FILE` (it holds
    /// secrets: keep it out of the repository, readable by the portal only). An agency without one takes bank
    /// transfers only.
    public var vnpay: [String: VNPaySettings] = [:]
    /// Reverse proxies whose `X-Forwarded-For` names the client (`MOTCUA_TRUSTED_PROXIES`); none by default.
    var trustedProxies: TrustedProxies = .none

    public struct SMTPSettings: Sendable {
        public var host: String
        public var port: Int
        public var username: String?
        public var password: String?
        /// "starttls" (required), "opportunistic" or "none".
        public var security: String
    }

    public struct SMSSettings: Sendable, Equatable {
        public var url: String
        public var apiKey: String
        /// The brand name the messages come from.
        public var sender: String

        public init(url: String, apiKey: String, sender: String) {
            self.url = url
            self.apiKey = apiKey
            self.sender = sender
        }
    }

    /// One agency's VNPay terminal.
    public struct VNPaySettings: Sendable, Codable, Equatable {
        /// The gateway's payment page, e.g. https://sandbox.vnpayment.vn/paymentv2/vpcpay.html.
        public var paymentURL: String
        /// The merchant API for transaction queries, e.g. https://sandbox.vnpayment.vn/merchant_webapi/api/transaction.
        public var queryURL: String?
        public var terminalCode: String
        public var hashSecret: String

        public init(paymentURL: String, queryURL: String? = nil, terminalCode: String, hashSecret: String) {
            self.paymentURL = paymentURL
            self.queryURL = queryURL
            self.terminalCode = terminalCode
            self.hashSecret = hashSecret
        }
    }

    public init() {}

    /// Cookies carry `Secure` when the portal is served over HTTPS.
    var secureCookies: Bool { publicURL.lowercased().hasPrefix("https://") }

    /// Reads `MOTCUA_HOST`, `MOTCUA_PORT`, `MOTCUA_DATA_DIR`, `DATABASE_URL`, `MOTCUA_DEMO_DATA`, `LOG_LEVEL`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfiguration {
        var configuration = AppConfiguration()
        let settings = EnvironmentSettings(environment)
        if let host = settings["MOTCUA_HOST"], !host.isEmpty { configuration.host = host }
        if let port = settings["MOTCUA_PORT"], !port.isEmpty {
            guard let value = Int(port), (1...65535).contains(value) else {
                throw ConfigurationError.invalid("MOTCUA_PORT", "expected a port number, got '\(port)'")
            }
            configuration.port = value
        }
        if let directory = settings["MOTCUA_DATA_DIR"], !directory.isEmpty {
            configuration.dataDirectory = URL(fileURLWithPath: directory, isDirectory: true)
        }
        if let url = settings["DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw ConfigurationError.invalid("DATABASE_URL", "only postgres:// URLs are supported")
            }
            // The whole URL is checked now (host, sslmode), not when the first connection is made.
            _ = try PostgresDatabase.configuration(fromURL: url)
            configuration.databaseURL = url
        }
        if let demo = settings["MOTCUA_DEMO_DATA"] {
            configuration.loadDemoData = !["0", "false", "no"].contains(demo.lowercased())
        }
        if let level = settings["LOG_LEVEL"], !level.isEmpty {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError.invalid("LOG_LEVEL", "expected trace, debug, info, notice, warning, error or critical, got '\(level)'")
            }
            configuration.logLevel = parsed
        }
        if let url = settings["MOTCUA_PUBLIC_URL"], !url.isEmpty {
            guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
                throw ConfigurationError.invalid("MOTCUA_PUBLIC_URL", "expected an http:// or https:// address")
            }
            configuration.configuredPublicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
        }
        if let cost = settings["MOTCUA_BCRYPT_COST"], !cost.isEmpty {
            guard let value = UInt8(cost), (4...16).contains(value) else {
                throw ConfigurationError.invalid("MOTCUA_BCRYPT_COST", "expected 4 to 16")
            }
            configuration.bcryptCost = value
        }
        if let host = settings["MOTCUA_SMTP_HOST"], !host.isEmpty {
            var port = 587
            if let text = settings["MOTCUA_SMTP_PORT"], !text.isEmpty {
                guard let value = Int(text), (1...65535).contains(value) else {
                    throw ConfigurationError.invalid("MOTCUA_SMTP_PORT", "expected a port number, got '\(text)'")
                }
                port = value
            }
            let security = settings["MOTCUA_SMTP_SECURITY"] ?? "starttls"
            guard ["starttls", "opportunistic", "none"].contains(security) else {
                throw ConfigurationError.invalid("MOTCUA_SMTP_SECURITY", "expected starttls, opportunistic or none")
            }
            configuration.smtp = SMTPSettings(
                host: host, port: port, username: settings["MOTCUA_SMTP_USERNAME"],
                password: settings["MOTCUA_SMTP_PASSWORD"], security: security)
        }
        if let url = settings["MOTCUA_SMS_GATEWAY_URL"], !url.isEmpty {
            guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
                  components.host?.isEmpty == false else {
                throw ConfigurationError.invalid("MOTCUA_SMS_GATEWAY_URL", "expected an http:// or https:// address, got '\(url)'")
            }
            guard let key = settings["MOTCUA_SMS_API_KEY"], !key.isEmpty else {
                throw ConfigurationError.invalid("MOTCUA_SMS_API_KEY", "required with MOTCUA_SMS_GATEWAY_URL")
            }
            let sender = settings["MOTCUA_SMS_SENDER"].flatMap { $0.isEmpty ? nil : $0 } ?? "MOTCUA"
            guard sender.count <= 11, sender.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else {
                throw ConfigurationError.invalid("MOTCUA_SMS_SENDER", "expected a brand name of at most 11 letters and digits, got '\(sender)'")
            }
            configuration.sms = SMSSettings(url: url, apiKey: key, sender: sender)
        }
        if let path = settings["MOTCUA_VNPAY_FILE"], !path.isEmpty {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError.invalid("MOTCUA_VNPAY_FILE", "cannot read '\(path)'")
            }
            do {
                configuration.vnpay = try JSONDecoder().decode([String: VNPaySettings].self, from: data)
            } catch {
                throw ConfigurationError.invalid(
                    "MOTCUA_VNPAY_FILE", "expected {\"<agency code>\": {\"paymentURL\", \"queryURL\", \"terminalCode\", \"hashSecret\"}}: \(error)")
            }
            for (agency, settings) in configuration.vnpay {
                do {
                    _ = try PaymentGateways.vnpay(settings, publicURL: configuration.publicURL)
                } catch {
                    throw ConfigurationError.invalid("MOTCUA_VNPAY_FILE", "\(agency): \(error.message)")
                }
            }
        }
        if let from = settings["MOTCUA_MAIL_FROM"], !from.isEmpty {
            guard Identifiers.isEmail(from) else {
                throw ConfigurationError.invalid("MOTCUA_MAIL_FROM", "expected an e-mail address such as khong-tra-loi@so-noi-vu.gov.vn, got '\(from)'")
            }
            configuration.mailFrom = from
        }
        if let demo = settings["MOTCUA_DEMO_DATA"], !["", "0", "1", "true", "false", "yes", "no"].contains(demo.lowercased()) {
            throw ConfigurationError.invalid("MOTCUA_DEMO_DATA", "expected 1 or 0, got '\(demo)'")
        }
        if let days = settings["MOTCUA_DRAFT_MAX_AGE_DAYS"], !days.isEmpty {
            guard let value = Int64(days), (1...3650).contains(value) else {
                throw ConfigurationError.invalid("MOTCUA_DRAFT_MAX_AGE_DAYS", "expected 1 to 3650 days")
            }
            configuration.draftMaxAge = .seconds(value * 24 * 60 * 60)
        }
        if let text = settings["MOTCUA_FILE_SWEEP_GRACE_SECONDS"], !text.isEmpty {
            guard let seconds = Int64(text), (1...604_800).contains(seconds) else {
                throw ConfigurationError.invalid("MOTCUA_FILE_SWEEP_GRACE_SECONDS", "expected 1 to 604800 seconds")
            }
            configuration.fileSweepGraceSeconds = seconds
        }
        if let text = settings["MOTCUA_IDLE_TIMEOUT_SECONDS"], !text.isEmpty {
            guard let seconds = Int64(text), (1...3600).contains(seconds) else {
                throw ConfigurationError.invalid("MOTCUA_IDLE_TIMEOUT_SECONDS", "expected 1 to 3600 seconds")
            }
            configuration.idleTimeoutSeconds = seconds
        }
        if let text = settings["MOTCUA_DB_POOL_SIZE"], !text.isEmpty {
            guard let size = Int(text), (1...500).contains(size) else {
                throw ConfigurationError.invalid("MOTCUA_DB_POOL_SIZE", "expected 1 to 500 connections, got '\(text)'")
            }
            configuration.databasePoolSize = size
        }
        if let text = settings["MOTCUA_TRUSTED_PROXIES"], !text.isEmpty {
            guard let proxies = TrustedProxies(text) else {
                throw ConfigurationError.invalid("MOTCUA_TRUSTED_PROXIES", "expected addresses or CIDR ranges separated by commas, got '\(text)'")
            }
            configuration.trustedProxies = proxies
        }
        if let text = settings["MOTCUA_OFFICE_HOURS"], !text.isEmpty {
            guard let hours = OfficeHours(parsing: text) else {
                throw ConfigurationError.invalid("MOTCUA_OFFICE_HOURS", "expected ordered spans like 07:30-11:30,13:00-17:00, got '\(text)'")
            }
            configuration.officeHours = hours
        }
        if let text = settings["MOTCUA_DUE_SOON_DAYS"], !text.isEmpty {
            guard let days = Double(text), days >= 0, days <= 30, (days * 2).rounded() == days * 2 else {
                throw ConfigurationError.invalid("MOTCUA_DUE_SOON_DAYS", "expected working days in steps of 0.5 from 0 to 30, got '\(text)'")
            }
            configuration.dueSoonHalfDays = Int(days * 2)
        }
        if let text = settings["MOTCUA_DUE_SWEEP_SECONDS"], !text.isEmpty {
            guard let seconds = Int64(text), (1...86_400).contains(seconds) else {
                throw ConfigurationError.invalid("MOTCUA_DUE_SWEEP_SECONDS", "expected 1 to 86400 seconds, got '\(text)'")
            }
            configuration.dueSweepSeconds = seconds
        }
        if let token = settings["MOTCUA_METRICS_TOKEN"], !token.isEmpty {
            guard token.count >= 16, token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                throw ConfigurationError.invalid("MOTCUA_METRICS_TOKEN", "expected at least 16 printable ASCII characters")
            }
            configuration.metricsToken = token
        }
        for (name, keyPath) in [("MOTCUA_MAX_FILE_MB", \AppConfiguration.maxFileBytes), ("MOTCUA_MAX_DOSSIER_MB", \.maxDossierBytes)] {
            guard let text = settings[name], !text.isEmpty else { continue }
            guard let megabytes = Int64(text), (1...10_000).contains(megabytes) else {
                throw ConfigurationError.invalid(name, "expected a number of megabytes from 1 to 10000")
            }
            configuration[keyPath: keyPath] = megabytes * 1_048_576
        }
        return configuration
    }

    public var sqlitePath: String { dataDirectory.appendingPathComponent("motcua.sqlite").path }
    public var filesDirectory: URL { dataDirectory.appendingPathComponent("files", isDirectory: true) }
}
