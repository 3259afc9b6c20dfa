import Foundation
import Hummingbird
import Logging

/// All routes and the middleware in front of them.
func buildRouter(_ dependencies: AppDependencies) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ClientAddressMiddleware(trusted: dependencies.configuration.trustedProxies))
    router.add(middleware: RequestMetricsMiddleware(registry: dependencies.metrics))
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ErrorMiddleware(pages: ErrorPages(renderer: dependencies.renderer)))
    router.add(middleware: QueryEncodingMiddleware())
    if let publicDirectory = Bundle.module.url(forResource: "public", withExtension: nil, subdirectory: "Resources") {
        router.add(middleware: FileMiddleware(
            publicDirectory.path, urlBasePath: "/static", cacheControl: .init([(MediaType(type: .any), [.maxAge(3600), .public])]),
            searchForIndexHtml: false, logger: dependencies.logger))
    }
    // Who is asking first: the CSRF token of a signed-in visitor is their session's.
    router.add(middleware: SessionMiddleware(
        sessions: dependencies.accounts.sessions, apiTokens: dependencies.apiTokens, cookies: dependencies.cookies,
        errorPages: ErrorPages(renderer: dependencies.renderer)))
    router.add(middleware: CSRFMiddleware(cookies: dependencies.cookies, errorPages: ErrorPages(renderer: dependencies.renderer)))
    router.add(middleware: PasswordChangeGate())

    OperationsController(
        database: dependencies.database, metrics: dependencies.metrics, metricsToken: dependencies.configuration.metricsToken,
        openAPIDocument: try OperationsController<AppRequestContext>.bundledOpenAPIDocument()
    ).addRoutes(to: router)
    // Public catalog answers do not depend on who asks; one cache serves the pages and the API.
    let catalogCache = CatalogResponseCache()
    CatalogController(
        reader: dependencies.catalogReader, cache: catalogCache, fileStore: dependencies.fileStore,
        renderer: dependencies.renderer, questions: QuestionStore(database: dependencies.database)
    ).addRoutes(to: router)
    let api = router.group("api/v1")
    CatalogAPIController(reader: dependencies.catalogReader, cache: catalogCache).addRoutes(to: api)
    AccountAPIController(catalog: dependencies.catalogReader).addRoutes(to: api)
    AccountController(
        accounts: dependencies.accounts, apiTokens: dependencies.apiTokens, renderer: dependencies.renderer,
        cookies: dependencies.cookies
    ).addRoutes(to: router)
    let uploader = AttachmentUploader(service: dependencies.dossiers, fileStore: dependencies.fileStore)
    let downloads = AttachmentDownload(store: dependencies.dossiers.store, fileStore: dependencies.fileStore, slips: dependencies.slips)
    // The API lists' rows as JSON, kept by row like the pages' rows (`JSONList`).
    let apiRows = FragmentCache()
    DossierAPIController(service: dependencies.dossiers, uploader: uploader, downloads: downloads, rows: apiRows).addRoutes(to: api)
    let ratings = RatingStore(database: dependencies.database)
    DossierController(service: dependencies.dossiers, uploader: uploader, downloads: downloads, renderer: dependencies.renderer,
                      payments: dependencies.payments.store, ratings: ratings)
        .addRoutes(to: router)
    StaffDossierAPIController(workflow: dependencies.workflow, uploader: uploader, downloads: downloads, rows: apiRows)
        .addRoutes(to: api)
    NoticeTemplateController(
        store: NoticeTemplateStore(database: dependencies.database), database: dependencies.database, renderer: dependencies.renderer,
        publicURL: dependencies.configuration.publicURL).addRoutes(to: router)
    CalendarController(overrides: CalendarOverrides(database: dependencies.database), renderer: dependencies.renderer)
        .addRoutes(to: router)
    let backOffice = BackOfficeController(
        workflow: dependencies.workflow, uploader: uploader, downloads: downloads, renderer: dependencies.renderer,
        payments: dependencies.payments.store)
    backOffice.addRoutes(to: router)
    PaymentController(
        service: dependencies.payments, statements: StatementImport(database: dependencies.database, receipts: dependencies.payments.store.receipts),
        downloads: downloads, renderer: dependencies.renderer, backOffice: backOffice
    ).addRoutes(to: router)
    PaymentAPIController(service: dependencies.payments).addRoutes(to: api)
    TrackingBookController(workflow: dependencies.workflow, renderer: dependencies.renderer).addRoutes(to: router)
    IssuedSlipController(workflow: dependencies.workflow, renderer: dependencies.renderer).addRoutes(to: router)
    DeskIntakeController(
        intake: dependencies.workflow.intake, uploader: uploader, renderer: dependencies.renderer,
        draftMaxAgeDays: Int(dependencies.configuration.draftMaxAge.components.seconds / 86_400)
    ).addRoutes(to: router)
    LookupController(
        store: DossierStore(database: dependencies.database), throttle: Throttle(database: dependencies.database),
        renderer: dependencies.renderer
    ).addRoutes(to: router, api: api)
    AdministrationController(
        accounts: dependencies.accounts, units: UnitStore(database: dependencies.database), renderer: dependencies.renderer,
        catalog: dependencies.catalogReader, database: dependencies.database, mailMode: dependencies.mailMode, cookies: dependencies.cookies,
        redactLinks: dependencies.configuration.smtp != nil
    ).addRoutes(to: router)
    UnitController(
        units: UnitStore(database: dependencies.database), users: dependencies.accounts.users, catalog: dependencies.catalogReader,
        renderer: dependencies.renderer
    ).addRoutes(to: router)
    StatisticsController(
        service: StatisticsService(
            store: StatisticsStore(database: dependencies.database), catalog: dependencies.catalogReader, cache: StatisticsCache()),
        renderer: dependencies.renderer, pages: CatalogResponseCache(maxEntries: 500, maxBytes: 16 * 1024 * 1024)
    ).addRoutes(to: router, api: api)
    RatingController(ratings: ratings, renderer: dependencies.renderer).addRoutes(to: router)
    StaffReportController(
        reports: StaffReports(database: dependencies.database, catalog: dependencies.catalogReader,
                              officeHours: dependencies.workflow.officeHours),
        renderer: dependencies.renderer
    ).addRoutes(to: router)
    QuestionController(
        store: QuestionStore(database: dependencies.database), catalog: dependencies.catalogReader,
        throttle: Throttle(database: dependencies.database), renderer: dependencies.renderer
    ).addRoutes(to: router)
    UnitAPIController(units: UnitStore(database: dependencies.database), catalog: dependencies.catalogReader).addRoutes(to: api)
    return router
}
