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
    }

    /// Schema first, then the demo catalog into an empty database when configured.
    public func prepare() async throws {
        try await Migrator(database: database, logger: logger).migrate()
        if configuration.loadDemoData, try await catalog.version() == 0, let url = CatalogImporter.demoCatalogURL {
            let summary = try await importer.importFile(at: url)
            logger.info("Loaded the demo catalog", metadata: [
                "agencies": "\(summary.agencies)", "procedures": "\(summary.proceduresCreated)",
            ])
        }
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
        inner: router.buildResponder(), errorPages: ErrorPages(renderer: dependencies.renderer))
    var app = Application(
        responder: responder,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "MotCua"),
        services: [opened.service],
        logger: logger)
    app.beforeServerStarts {
        try await dependencies.prepare()
    }
    return app
}
