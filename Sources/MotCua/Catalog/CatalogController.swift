import Foundation
import Hummingbird
import Logging

/// The public catalog pages: home, list with search and filters, procedure page, template downloads.
struct CatalogController: Sendable {
    typealias Context = AppRequestContext
    let reader: CatalogReader
    let cache: CatalogResponseCache
    let fileStore: any FileStore
    let renderer: HTMLRenderer
    /// The published questions of the FAQ tab.
    let questions: QuestionStore

    func addRoutes(to router: Router<Context>) {
        router.get("/", use: home)
        router.get("/thu-tuc", use: list)
        router.get("/thu-tuc/{agency}/{code}", use: show)
        router.get("/thu-tuc/{agency}/{code}/bieu-mau/{number}", use: downloadTemplate)
    }

    @Sendable func home(_ request: Request, context: Context) async throws -> Response {
        let snapshot = try await reader.snapshot()
        return try await answer(request, context, version: snapshot.version) { viewer in
            try homePage(snapshot, viewer: viewer)
        }
    }

    /// Visitors who are not signed in all see the same page, served from the cache; a signed-in
    /// account's page carries its name and sign-out form, so it is rendered for it alone.
    private func answer(
        _ request: Request, _ context: Context, version: Int64, render: (Viewer) async throws -> HTML
    ) async throws -> Response {
        guard let user = context.identity?.user else {
            return try await cache.response(for: request, version: version) { try await render(Viewer()).cacheable }
        }
        return try await render(Viewer(user: user, csrfToken: context.csrfToken)).response(from: request, context: context)
    }

    struct Viewer {
        var user: User?
        var csrfToken = ""
        func chrome(_ title: String, _ section: PageChrome.Section, searchText: String = "") -> PageChrome {
            PageChrome(title: title, section: section, searchText: searchText, user: user, csrfToken: csrfToken)
        }
    }

    private func homePage(_ snapshot: CatalogReader.Snapshot, viewer: Viewer) throws -> HTML {
        let entries = snapshot.index.entries
        var perAgency: [String: Int] = [:], perField: [String: Int] = [:]
        for entry in entries {
            perAgency[entry.agencyCode, default: 0] += 1
            perField[entry.fieldCode, default: 0] += 1
        }
        let page = HomePage(
            chrome: viewer.chrome("Cổng dịch vụ công trực tuyến", .home),
            procedureCount: entries.count,
            fullOnlineCount: entries.count { $0.onlineLevel == .full },
            agencyCount: snapshot.agencies.count,
            agencies: snapshot.agencies.map {
                AgencyCard(
                    name: $0.name, province: $0.province,
                    url: SiteURL.catalog(.init(agencyCode: $0.code)), procedureCount: perAgency[$0.code] ?? 0)
            },
            fields: snapshot.fields.compactMap { field in
                guard let count = perField[field.code] else { return nil }
                return FieldLink(name: field.name, url: SiteURL.catalog(.init(fieldCode: field.code)), procedureCount: count)
            })
        return try renderer.render(page)
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> Response {
        let query = try CatalogQuery.parse(request.queryValues)
        let snapshot = try await reader.snapshot()
        return try await answer(request, context, version: snapshot.version) { viewer in
            try listPage(query, snapshot, viewer: viewer)
        }
    }

    private func listPage(_ query: CatalogSearchIndex.Query, _ snapshot: CatalogReader.Snapshot, viewer: Viewer) throws -> HTML {
        let result = snapshot.index.search(query)
        let first = (query.page - 1) * query.perPage + 1
        let page = CatalogListPage(
            chrome: viewer.chrome(
                query.text.isEmpty ? "Danh mục thủ tục hành chính" : "Tìm kiếm: \(query.text)", .catalog, searchText: query.text),
            searchText: query.text,
            agencies: snapshot.agencies.map {
                SelectOption(value: $0.code, label: $0.name, selected: $0.code == query.agencyCode)
            },
            fields: snapshot.fields.map {
                SelectOption(value: $0.code, label: $0.name, selected: $0.code == query.fieldCode)
            },
            levels: OnlineLevel.allCases.map {
                SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == query.onlineLevel)
            },
            results: result.items.map(ProcedureRow.init),
            total: result.total,
            hasResults: !result.items.isEmpty,
            anyMatch: result.total > 0,
            pagination: Pagination(query: query, total: result.total),
            firstShown: first,
            lastShown: first + result.items.count - 1,
            isFiltered: !query.text.isEmpty || query.agencyCode != nil || query.fieldCode != nil || query.onlineLevel != nil)
        return try renderer.render(page)
    }

    @Sendable func show(_ request: Request, context: Context) async throws -> Response {
        let tabName = request.queryValues["tab"] ?? ProcedurePage.Tab.general.rawValue
        guard let tab = ProcedurePage.Tab(rawValue: tabName) else {
            throw PortalError.notFound("Không có mục này trong trang thủ tục.")
        }
        if tab == .faq {
            // Staff publish and withdraw answers at any time, not with the catalog's version: this tab is read
            // each time instead of kept. It has no form, so a visitor who is not signed in still gets no cookie.
            let procedure = try await loadProcedure(context)
            var page = ProcedurePage(procedure: procedure, tab: tab, chrome: PageChrome(title: procedure.name, section: .catalog, context: context))
            page.faq = try await questions.faq(procedureID: procedure.id).map(FAQRow.init)
            page.hasFAQ = !page.faq.isEmpty
            return try renderer.render(page).response(from: request, context: context)
        }
        let version = try await reader.snapshot().version
        return try await answer(request, context, version: version) { viewer in
            let procedure = try await loadProcedure(context)
            return try renderer.render(ProcedurePage(procedure: procedure, tab: tab, chrome: viewer.chrome(procedure.name, .catalog)))
        }
    }

    @Sendable func downloadTemplate(_ request: Request, context: Context) async throws -> Response {
        let procedure = try await loadProcedure(context)
        guard let number = context.parameters.get("number", as: Int.self),
              let template = procedure.formTemplates.first(where: { $0.position == number - 1 })
        else { throw PortalError.notFound("Không tìm thấy biểu mẫu này.") }
        let body = try await fileStore.read(sha256: template.sha256)
        return Response(
            status: .ok,
            headers: [
                .contentType: template.contentType,
                .contentDisposition: ContentDisposition.attachment(fileName: template.fileName),
                .cacheControl: "public, max-age=3600",
            ],
            body: .init(byteBuffer: body))
    }

    private func loadProcedure(_ context: Context) async throws -> Procedure {
        guard let (agency, code) = CatalogPath.procedureKey(context.parameters),
              let procedure = try await reader.procedure(agencyCode: agency, code: code)
        else { throw PortalError.notFound("Không tìm thấy thủ tục hành chính này. Có thể mã thủ tục đã thay đổi; hãy tìm lại trong danh mục.") }
        return procedure
    }
}

/// Reads `{agency}/{code}` path parameters: percent-decoded, and only when they have a valid shape.
enum CatalogPath {
    static func procedureKey(_ parameters: Hummingbird.Parameters) -> (agency: String, code: String)? {
        guard let agency = parameters.get("agency")?.removingPercentEncoding,
              let code = parameters.get("code")?.removingPercentEncoding,
              Identifiers.isAgencyCode(agency), Identifiers.isProcedureCode(code)
        else { return nil }
        return (agency, code)
    }
}
