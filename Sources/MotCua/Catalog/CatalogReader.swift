import Foundation
import Synchronization

/// What the public catalog pages read, kept in step with the database: the search index and the
/// procedure details, rebuilt or dropped when the catalog's version changes (checked at most once per
/// `recheckInterval`, or at once after an import in this process). The catalog changes only by import,
/// so reads almost never reach the database.
public final class CatalogReader: Sendable {
    struct Snapshot: Sendable {
        var version: Int64
        var index: CatalogSearchIndex
        var agencies: [Agency]
        var fields: [Field]
        var checkedAt: ContinuousClock.Instant
    }

    private let repository: any CatalogRepository
    private let recheckInterval: Duration
    private let current = Mutex<Snapshot?>(nil)
    private let rebuildLock = AsyncLock()
    private let procedures = Mutex<(version: Int64, byKey: [String: Procedure])>((-1, [:]))
    private let maxCachedProcedures = 4096

    public init(repository: any CatalogRepository, recheckInterval: Duration = .seconds(2)) {
        self.repository = repository
        self.recheckInterval = recheckInterval
    }

    /// Forces a version check on next use.
    public func invalidate() {
        current.withLock { $0 = nil }
    }

    func snapshot() async throws -> Snapshot {
        let now = ContinuousClock.now
        if let snapshot = current.withLock({ $0 }), snapshot.checkedAt + recheckInterval > now {
            return snapshot
        }
        return try await rebuildLock.withLock {
            if let snapshot = current.withLock({ $0 }), snapshot.checkedAt + recheckInterval > ContinuousClock.now {
                return snapshot
            }
            let version = try await repository.version()
            var snapshot: Snapshot
            if var existing = current.withLock({ $0 }), existing.version == version {
                existing.checkedAt = ContinuousClock.now
                snapshot = existing
            } else {
                snapshot = Snapshot(
                    version: version,
                    index: CatalogSearchIndex(summaries: try await repository.summaries()),
                    agencies: try await repository.agencies(),
                    fields: try await repository.fields(),
                    checkedAt: ContinuousClock.now)
            }
            current.withLock { $0 = snapshot }
            return snapshot
        }
    }

    func search(_ query: CatalogSearchIndex.Query) async throws -> CatalogSearchIndex.Result {
        try await snapshot().index.search(query)
    }

    /// One procedure with everything its page shows, from memory when this catalog version was read before.
    func procedure(agencyCode: String, code: String) async throws -> Procedure? {
        let version = try await snapshot().version
        let key = agencyCode + "|" + code
        if let cached = procedures.withLock({ $0.version == version ? $0.byKey[key] : nil }) {
            return cached
        }
        guard let procedure = try await repository.procedure(agencyCode: agencyCode, code: code) else { return nil }
        procedures.withLock { cache in
            if cache.version != version || cache.byKey.count >= maxCachedProcedures { cache = (version, [:]) }
            cache.byKey[key] = procedure
        }
        return procedure
    }
}
