import Foundation

/// Size limits for uploads (configurable; defaults 20 MB per file and 100 MB per dossier).
struct UploadLimits: Sendable {
    var maxFileBytes: Int64 = 20 * 1_048_576
    var maxDossierBytes: Int64 = 100 * 1_048_576
}
