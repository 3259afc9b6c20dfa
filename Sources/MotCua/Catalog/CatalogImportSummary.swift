import Foundation

/// What an import changed.
public struct CatalogImportSummary: Sendable, Equatable {
    public var agencies: Int
    public var fields: Int
    public var proceduresCreated: Int
    public var proceduresUpdated: Int
}

/// Identifies a template of the file being imported.
public struct TemplateKey: Hashable, Sendable {
    public var agencyCode: String
    public var procedureCode: String
    public var position: Int
}
