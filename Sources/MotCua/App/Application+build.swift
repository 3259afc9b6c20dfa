import Foundation
import Hummingbird
import Logging
import Prometheus

/// Everything a running portal is made of, wired once. `motcua serve` and the tests both build it here.
public struct AppDependencies: Sendable {
    public let configuration: AppConfiguration
    public let database: any Database
    public let fileStore: any FileStore
    public let catalog: any CatalogRepository
    public let catalogReader: CatalogReader
    public let importer: CatalogImporter
    public let renderer: HTMLRenderer
    public let metrics: PrometheusCollectorRegistry
    public let logger: Logger
    let accounts: AccountService
    let apiTokens: APITokenStore
    let cookies: SessionCookies
    let mailer: any Mailer
    let smsSender: any SMSSender
    let dossiers: DossierService
    let workflow: DossierWorkflow
    /// The standard slips' PDFs, drawn after each step and on a first download.
    let slips: DossierSlips
    let payments: PaymentService
    /// Opened when `prepare()` has migrated the schema; background services wait for it.
    let schemaReady = ReadySignal()

    public init(
        configuration: AppConfiguration, database: any Database, metrics: PrometheusCollectorRegistry, logger: Logger
    ) async throws {
        self.configuration = configuration
        self.database = database
        self.fileStore = try LocalFileStore(root: configuration.filesDirectory)
        self.catalog = SQLCatalogRepository(database: database)
        self.catalogReader = CatalogReader(repository: catalog)
        self.importer = CatalogImporter(repository: catalog, fileStore: fileStore, reader: catalogReader)
        self.renderer = try await HTMLRenderer.bundled()
        self.metrics = metrics
        self.logger = logger
        self.accounts = AccountService(
            database: database, hasher: PasswordHasher(cost: configuration.bcryptCost), policy: .bundled(),
            publicURL: configuration.publicURL, logger: logger)
        self.apiTokens = APITokenStore(database: database)
        let limits = UploadLimits(maxFileBytes: configuration.maxFileBytes, maxDossierBytes: configuration.maxDossierBytes)
        self.dossiers = DossierService(database: database, catalog: catalogReader, publicURL: configuration.publicURL, limits: limits,
                                      officeHours: configuration.officeHours)
        let slipRenderer = SlipRenderer(fonts: try PDFFonts.bundled())
        self.slips = DossierSlips(renderer: slipRenderer, fileStore: fileStore, publicURL: configuration.publicURL,
                                  drawings: SlipDrawings(logger: logger))
        self.workflow = DossierWorkflow(
            database: database, store: dossiers.store, catalog: catalogReader, publicURL: configuration.publicURL, limits: limits,
            officeHours: configuration.officeHours, slips: slips)
        self.payments = PaymentService(
            store: PaymentStore(database: database, receipts: PaymentReceiptIssuer(
                renderer: slipRenderer, fileStore: fileStore, publicURL: configuration.publicURL, database: database)),
            dossiers: dossiers, workflow: workflow,
            gateways: try PaymentGateways(vnpay: configuration.vnpay, publicURL: configuration.publicURL), logger: logger)
        self.cookies = SessionCookies(secure: configuration.secureCookies)
        if let smtp = configuration.smtp {
            let security: SMTPConfiguration.Security =
                smtp.security == "none" ? .none : smtp.security == "opportunistic" ? .startTLSIfAvailable : .startTLS
            self.mailer = SMTPMailer(
                client: SMTPClient(
                    configuration: SMTPConfiguration(
                        host: smtp.host, port: smtp.port, security: security, username: smtp.username, password: smtp.password,
                        heloName: URLComponents(string: configuration.publicURL)?.host ?? "motcua.local"),
                    logger: logger),
                from: EmailAddress(address: configuration.mailFrom, name: "Cổng dịch vụ công MotCua"))
        } else {
            self.mailer = LogMailer(logger: logger)
        }
        self.smsSender = configuration.sms.map {
            SMSGateway(settings: SMSGateway.Settings(url: $0.url, apiKey: $0.apiKey, sender: $0.sender)) as any SMSSender
        } ?? LogSMSSender(logger: logger)
    }

    /// Delivers the outbox in the background while the portal runs.
    var outboxDelivery: OutboxDelivery {
        OutboxDelivery(database: database, mailer: mailer, logger: logger, sms: smsSender, ready: schemaReady, interval: configuration.outboxInterval,
                       metrics: metrics)
    }

    /// Removes stale drafts in the background.
    var draftCleanup: DraftCleanup {
        DraftCleanup(database: database, fileStore: fileStore, logger: logger, maxAge: configuration.draftMaxAge, ready: schemaReady,
                     orphanGrace: .seconds(configuration.fileSweepGraceSeconds))
    }

    /// Marks steps and dossiers due soon and overdue in the background, and mails their holders.
    var dueSweep: DueSweep {
        DueSweep(database: database, officeHours: configuration.officeHours, dueSoonHalfDays: configuration.dueSoonHalfDays,
                 publicURL: configuration.publicURL, logger: logger, interval: .seconds(configuration.dueSweepSeconds), ready: schemaReady,
                 metrics: metrics)
    }

    /// Asks the gateways about online payments whose notification never came.
    var paymentReconciliation: PaymentReconciliation {
        PaymentReconciliation(store: payments.store, gateways: payments.gateways, logger: logger, ready: schemaReady)
    }

    /// Purges expired sessions, single-use links and throttle events in the background.
    var accountCleanup: AccountCleanup {
        AccountCleanup(database: database, sessions: accounts.sessions, logger: logger, ready: schemaReady)
    }

    /// What the outbox page says about where mail goes.
    var mailMode: String {
        (configuration.smtp.map { "Thư được gửi qua máy chủ SMTP \($0.host):\($0.port)." }
            ?? "Chưa cấu hình máy chủ SMTP: thư được ghi vào nhật ký hệ thống và hiển thị tại đây.") + " "
            + (configuration.sms.map { "SMS được gửi qua cổng \(URLComponents(string: $0.url)?.host ?? "") với tên định danh \($0.sender)." }
                ?? "Chưa cấu hình cổng SMS: tin nhắn được ghi vào nhật ký hệ thống và hiển thị tại đây.")
    }

    /// Schema first, then the demo catalog into an empty database when configured.
    public func prepare() async throws {
        try await Migrator(database: database, logger: logger).migrate()
        // What a crash left in the file store (temp files, files whose row never committed) goes before
        // serving. With SQLite this process alone uses the data directory, so without a grace period; with
        // PostgreSQL other processes may share the files and be mid-upload, so after the usual one.
        let swept = try await draftCleanup.sweepFiles(
            grace: database.engine == .sqlite ? .zero : .seconds(configuration.fileSweepGraceSeconds))
        if swept.orphans + swept.temporary > 0 {
            logger.info("Swept the file store", metadata: ["orphans": "\(swept.orphans)", "temporary": "\(swept.temporary)"])
        }
        schemaReady.open()
        if configuration.loadDemoData, try await catalog.version() == 0, let url = CatalogImporter.demoCatalogURL {
            let summary = try await importer.importFile(at: url)
            logger.info("Loaded the demo catalog", metadata: [
                "agencies": "\(summary.agencies)", "procedures": "\(summary.proceduresCreated)",
            ])
        }
        if configuration.loadDemoData, try await accounts.users.count() == 0 {
            try await createDemoStaff()
        }
    }

    /// The demo units of each demo agency and one account per kind of work in its unit (heads where it leads),
    /// plus a system administrator; logins printed once.
    private func createDemoStaff() async throws {
        // Demo accounts are exempt from the first-login password change: they exist to be tried at once.
        var lines = ["", "Demo staff accounts (shown once; change the passwords in production):"]
        let (admin, adminPassword) = try await accounts.createStaff(
            email: "quantri@motcua.demo", name: "Quản trị hệ thống", role: .systemAdmin, agencyCode: nil, mustChangePassword: false)
        lines.append("  \(admin.email)  \(adminPassword)  \(StaffRole.systemAdmin.label)")
        let units = UnitStore(database: database)
        for agency in try await catalog.agencies() {
            let suffix = agency.code.split(separator: ".").last.map { String($0).lowercased() } ?? "cq"
            // Next to the units the catalog import made for the procedures' processes.
            try await units.ensure(names: DemoOrganization.unitNames, agencyCode: agency.code)
            for account in DemoOrganization.accounts {
                let (user, password) = try await accounts.createStaff(
                    email: "\(account.prefix).\(suffix)@motcua.demo", name: "\(account.name) – \(agency.province)", role: account.role,
                    agencyCode: agency.code, unitName: account.unit, mustChangePassword: false)
                if account.isHead, let unitID = user.unitID {
                    try await units.setHead(unitID: unitID, userID: user.id, agencyCode: agency.code)
                }
                let unit = account.unit.map { ", \($0)\(account.isHead ? " (trưởng đơn vị)" : "")" } ?? ""
                lines.append("  \(user.email)  \(password)  \(account.role.label)\(unit), \(agency.name)")
            }
        }
        print(lines.joined(separator: "\n") + "\n")
    }
}

/// Builds the portal application: database service, migrations before the server starts, router.
public func buildApplication(
    configuration: AppConfiguration,
    metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    logger: Logger
) async throws -> some ApplicationProtocol {
    let opened = try await OpenedDatabase.open(configuration, logger: logger)
    let dependencies = try await AppDependencies(
        configuration: configuration, database: opened.database, metrics: metrics, logger: logger)
    let router = try buildRouter(dependencies)
    let responder = PortalResponder(
        inner: router.buildResponder(),
        routes: RouteTable(router.routes.map { ($0.path.description, $0.method) }),
        errorPages: ErrorPages(renderer: dependencies.renderer), https: configuration.secureCookies)
    var app = Application(
        responder: responder,
        server: .http1(configuration: .init(idleTimeout: .seconds(configuration.idleTimeoutSeconds))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "MotCua"),
        services: [opened.service, dependencies.slips.drawings, dependencies.outboxDelivery, dependencies.draftCleanup, dependencies.accountCleanup,
                   dependencies.dueSweep, dependencies.paymentReconciliation],
        logger: logger)
    app.beforeServerStarts {
        try await dependencies.prepare()
    }
    return app
}
