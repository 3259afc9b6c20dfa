
/// Storage of the catalog.
public protocol CatalogRepository: Sendable {
    func agencies() async throws -> [Agency]
    func fields() async throws -> [Field]
    /// Every procedure, summarised for lists and the search index.
    func summaries() async throws -> [ProcedureSummary]
    func procedure(agencyCode: String, code: String) async throws -> Procedure?
    /// A counter that changes whenever the catalog does.
    func version() async throws -> Int64
    /// Writes a validated catalog in one transaction: inserts what is new, updates what exists.
    /// `templates` gives the stored file of each template, keyed by `TemplateKey`.
    func apply(_ catalog: ValidCatalog, templates: [TemplateKey: StoredFile]) async throws -> CatalogImportSummary
}

