import Foundation
import Hummingbird

/// The catalog as JSON under `/api/v1`.
struct CatalogAPIController<Context: RequestContext>: Sendable {
    let reader: CatalogReader
    let cache: CatalogResponseCache

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("procedures", use: list)
        group.get("procedures/{agency}/{code}", use: show)
        group.get("agencies", use: agencies)
        group.get("fields", use: fields)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let query = try CatalogQuery.parse(request.queryValues)
        let snapshot = try await reader.snapshot()
        return try await cache.response(for: request, version: snapshot.version) {
            let result = snapshot.index.search(query)
            return try JSONBody.encode(ProcedureListDTO(
                items: result.items.map(ProcedureSummaryDTO.init), total: result.total, page: query.page,
                perPage: query.perPage))
        }
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> Response {
        let version = try await reader.snapshot().version
        return try await cache.response(for: request, version: version) {
            guard let (agency, code) = CatalogPath.procedureKey(context.parameters),
                  let procedure = try await reader.procedure(agencyCode: agency, code: code)
            else { throw PortalError.notFound("Không tìm thấy thủ tục hành chính này.") }
            return try JSONBody.encode(ProcedureDTO(procedure))
        }
    }

    @Sendable func agencies(_ request: Request, context: Context) async throws -> ItemsDTO<Agency> {
        ItemsDTO(items: try await reader.snapshot().agencies)
    }

    @Sendable func fields(_ request: Request, context: Context) async throws -> ItemsDTO<Field> {
        ItemsDTO(items: try await reader.snapshot().fields)
    }
}

