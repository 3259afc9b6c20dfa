import Foundation
import Hummingbird
import Logging

/// All routes and the middleware in front of them.
func buildRouter(_ dependencies: AppDependencies) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: ErrorMiddleware(pages: ErrorPages(renderer: dependencies.renderer)))
    if let publicDirectory = Bundle.module.url(forResource: "public", withExtension: nil, subdirectory: "Resources") {
        router.add(middleware: FileMiddleware(
            publicDirectory.path, urlBasePath: "/static", cacheControl: .init([(MediaType(type: .any), [.maxAge(3600), .public])]),
            searchForIndexHtml: false, logger: dependencies.logger))
    }

    OperationsController(
        database: dependencies.database, metrics: dependencies.metrics,
        openAPIDocument: try OperationsController<AppRequestContext>.bundledOpenAPIDocument()
    ).addRoutes(to: router)
    // Public catalog answers do not depend on who asks; one cache serves the pages and the API.
    let catalogCache = CatalogResponseCache()
    CatalogController(
        reader: dependencies.catalogReader, cache: catalogCache, fileStore: dependencies.fileStore,
        renderer: dependencies.renderer
    ).addRoutes(to: router)
    CatalogAPIController(reader: dependencies.catalogReader, cache: catalogCache).addRoutes(to: router.group("api/v1"))
    return router
}
