import Foundation

struct ProcedureRow: Sendable, Encodable {
    var url: String
    var code: String
    var name: String
    var agencyName: String
    var fieldName: String
    var levelLabel: String
    var isFullOnline: Bool
    var onlineOnly: Bool
    var processingDays: Int
    var feeText: String

    init(_ summary: ProcedureSummary) {
        url = SiteURL.procedure(agencyCode: summary.agencyCode, code: summary.code)
        code = summary.code
        name = summary.name
        agencyName = summary.agencyName
        fieldName = summary.fieldName
        levelLabel = summary.onlineLevel.label
        isFullOnline = summary.onlineLevel == .full
        onlineOnly = summary.onlineOnly
        processingDays = summary.processingDays
        feeText = summary.totalFee == 0 ? "Không thu phí" : VietnameseFormat.money(summary.totalFee)
    }
}

struct PageLink: Sendable, Encodable {
    var number: Int
    var url: String
    var current: Bool
}

struct Pagination: Sendable, Encodable {
    var pages: [PageLink]
    var previousURL: String?
    var nextURL: String?
    var show: Bool

    init(query: CatalogSearchIndex.Query, total: Int) {
        let lastPage = max(1, (total + query.perPage - 1) / query.perPage)
        // Up to five pages around the current one, clamped to 1...lastPage (the current page may lie beyond).
        let first = max(1, min(query.page - 2, lastPage - 4))
        let last = min(lastPage, first + 4)
        pages = (first...last).map {
            PageLink(number: $0, url: SiteURL.catalog(query, page: $0), current: $0 == query.page)
        }
        previousURL = query.page > 1 && query.page <= lastPage ? SiteURL.catalog(query, page: query.page - 1) : nil
        nextURL = query.page < lastPage ? SiteURL.catalog(query, page: query.page + 1) : nil
        show = lastPage > 1
    }
}

struct CatalogListPage: PageModel {
    static let template = "catalog/list"
    var chrome: PageChrome
    var searchText: String
    var agencies: [SelectOption]
    var fields: [SelectOption]
    var levels: [SelectOption]
    var results: [ProcedureRow]
    var total: Int
    var hasResults: Bool
    var anyMatch: Bool
    var pagination: Pagination
    var firstShown: Int
    var lastShown: Int
    var isFiltered: Bool
}
