import Foundation
import Synchronization

/// Keeps this process's search index in step with the database: rebuilt when the catalog's version
/// changes (checked at most once per `recheckInterval`, or at once after an import in this process).
public final class CatalogSearch: Sendable {
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
}
