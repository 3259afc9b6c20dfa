import Foundation
import Synchronization

/// The one place that answers "statistics of this scope for this period": the page, its CSV tables and the
/// API only present the `Outcome`.
struct StatisticsService: Sendable {
    let store: StatisticsStore
    let catalog: CatalogReader
    let cache: StatisticsCache
    /// The clock, so tests can fix "now".
    var now: @Sendable () -> Int64 = { Clock.nowMilliseconds() }

    enum Outcome: Sendable {
        case report(StatisticsReport)
        case unknownAgency
        case badPeriod(StatisticsPeriodInput.Problem)
    }

    typealias ParameterNames = (year: String, quarter: String, month: String, from: String, to: String)

    func report(agencyCode: String?, input: StatisticsPeriodInput, names: ParameterNames) async throws -> Outcome {
        let snapshot = try await catalog.snapshot()
        var agency: Agency?
        if let agencyCode {
            guard Identifiers.isAgencyCode(agencyCode), let found = snapshot.agencies.first(where: { $0.code == agencyCode }) else {
                return .unknownAgency
            }
            agency = found
        }
        let now = now()
        let period: StatisticsPeriod
        switch input.period(today: OfficeHours.civilDate(of: now), names: names) {
        case .success(let value): period = value
        case .failure(let problem): return .badPeriod(problem)
        }
        let key = "\(agencyCode ?? "*")|\(period.key)|\(snapshot.version)"
        let scope = agency
        let report = try await cache.value(for: key) {
            try await compute(agency: scope, period: period, snapshot: snapshot, now: now)
        }
        return .report(report)
    }

    private func compute(agency: Agency?, period: StatisticsPeriod, snapshot: CatalogReader.Snapshot, now: Int64) async throws -> StatisticsReport {
        async let currentCounts = store.counts(agencyCode: agency?.code, from: period.start, before: period.end, now: now)
        let previousPeriod = period.previous
        let previousCounts = try await store.counts(agencyCode: agency?.code, from: previousPeriod.start, before: previousPeriod.end, now: now)
        let current = try await currentCounts
        let procedures = snapshot.index.entries.filter { agency == nil || $0.agencyCode == agency?.code }
        let summary = StatisticsReport.Procedures(
            total: procedures.count, fullOnline: procedures.count { $0.onlineLevel == .full },
            partialOnline: procedures.count { $0.onlineLevel == .partial })
        // Every procedure in the catalog, and any other that has dossiers in either period (since removed).
        let byID = Dictionary(snapshot.index.entries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let ids = Set(procedures.map(\.id)).union(current.byProcedure.keys).union(previousCounts.byProcedure.keys)
        let rows = ids.map { id -> StatisticsReport.ProcedureRow in
            let entry = byID[id]
            let now = current.byProcedure[id] ?? DossierCounts(), before = previousCounts.byProcedure[id] ?? DossierCounts()
            return StatisticsReport.ProcedureRow(
                agencyCode: entry?.agencyCode ?? "", code: entry?.code ?? "", name: entry?.name ?? "Thủ tục đã gỡ khỏi danh mục (số \(id))",
                received: now.received, online: now.online, resolved: now.resolved, earlyOrOnTime: now.earlyOrOnTime,
                previousReceived: before.received, previousResolved: before.resolved)
        }.sorted { ($0.received, $0.resolved, $1.agencyCode, $1.code) > ($1.received, $1.resolved, $0.agencyCode, $0.code) }
        return StatisticsReport(
            scope: .init(agencyCode: agency?.code, name: agency?.name ?? "Toàn bộ các cơ quan trên Cổng"),
            period: .init(period), previousPeriod: .init(previousPeriod), countedAt: now, procedures: summary,
            current: current.total, previous: previousCounts.total, byProcedure: rows,
            indicators: Indicator.all(counts: current.total, procedures: summary))
    }
}

/// Reports kept for a short while (a minute by default): a busy statistics page is counted once a minute,
/// not once a request, and concurrent first requests for the same report share one count. Bounded in
/// entries; expired entries go when the bound is reached.
final class StatisticsCache: Sendable {
    private struct Entry {
        let expires: ContinuousClock.Instant
        let task: Task<StatisticsReport, any Error>
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let lifetime: Duration
    private let maxEntries: Int

    init(lifetime: Duration = .seconds(60), maxEntries: Int = 500) {
        self.lifetime = lifetime
        self.maxEntries = maxEntries
    }

    func value(for key: String, produce: @escaping @Sendable () async throws -> StatisticsReport) async throws -> StatisticsReport {
        let now = ContinuousClock.now
        let task = entries.withLock { entries -> Task<StatisticsReport, any Error> in
            if let entry = entries[key], entry.expires > now { return entry.task }
            if entries.count >= maxEntries { entries = entries.filter { $0.value.expires > now } }
            if entries.count >= maxEntries { entries = [:] }
            let task = Task { try await produce() }
            entries[key] = Entry(expires: now.advanced(by: lifetime), task: task)
            return task
        }
        do {
            return try await task.value
        } catch {
            // A failed count is not kept: the next request tries again.
            entries.withLock { entries in
                if let entry = entries[key], entry.task == task { entries[key] = nil }
            }
            throw error
        }
    }
}
