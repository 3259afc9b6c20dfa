import Foundation
import Logging

/// Imports a catalog file: validate everything, store the template files, then write all records in one
/// transaction. A file with any problem writes nothing.
public struct CatalogImporter: Sendable {
    let repository: any CatalogRepository
    let fileStore: any FileStore
    let reader: CatalogReader?

    public init(repository: any CatalogRepository, fileStore: any FileStore, reader: CatalogReader? = nil) {
        self.repository = repository
        self.fileStore = fileStore
        self.reader = reader
    }

    public func importFile(at url: URL) async throws -> CatalogImportSummary {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw CatalogValidationError(problems: [CatalogProblem(path: url.path, message: "không đọc được tệp")])
        }
        return try await importData(data, baseDirectory: url.deletingLastPathComponent())
    }

    public func importData(_ data: Data, baseDirectory: URL) async throws -> CatalogImportSummary {
        let agencies = Set(try await repository.agencies().map(\.code))
        let fields = Set(try await repository.fields().map(\.code))
        let validator = CatalogValidator(
            existingAgencyCodes: agencies, existingFieldCodes: fields, baseDirectory: baseDirectory)
        let catalog = try validator.validate(data: data)
        // Files first: content-addressed, so a failed transaction leaves at most an unreferenced copy.
        var stored: [TemplateKey: StoredFile] = [:]
        for procedure in catalog.procedures {
            for template in procedure.templates {
                let key = TemplateKey(agencyCode: procedure.agencyCode, procedureCode: procedure.code, position: template.position)
                stored[key] = try await fileStore.write(bytes: template.bytes)
            }
        }
        let summary = try await repository.apply(catalog, templates: stored)
        reader?.invalidate()
        return summary
    }

    /// The demo catalog shipped with the portal.
    public static var demoCatalogURL: URL? {
        Bundle.module.url(forResource: "catalog", withExtension: "json", subdirectory: "Resources/DemoCatalog")
    }
}
