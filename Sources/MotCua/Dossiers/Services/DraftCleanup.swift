import Foundation
import Logging
import SQLKit
import ServiceLifecycle

/// Removes drafts nobody has touched for `maxAge`, and sweeps what they and a crash
/// can leave in the file store: temp files of unfinished uploads, and stored files no row refers to (a
/// kill between storing a file and committing its row, or a removed draft). Files are named by content and may
/// be shared (the same scan in two dossiers, a form template): a file goes only when no attachment or template
/// refers to it any more, and only after `orphanGrace`, so an upload still on its way to its commit keeps its file.
struct DraftCleanup: Service {
    let database: any Database
    let fileStore: any FileStore
    let logger: Logger
    var maxAge: Duration = .seconds(30 * 24 * 60 * 60)
    var interval: Duration = .seconds(60 * 60)
    var ready: ReadySignal? = nil
    var orphanGrace: Duration = .seconds(60 * 60)

    func run() async throws {
        await ready?.waitUnlessShuttingDown()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let removed = try await removeStaleDrafts()
                if removed > 0 { logger.info("Removed stale drafts", metadata: ["count": "\(removed)"]) }
                let swept = try await sweepFiles(grace: orphanGrace)
                if swept.orphans + swept.temporary > 0 {
                    logger.info("Swept the file store", metadata: ["orphans": "\(swept.orphans)", "temporary": "\(swept.temporary)"])
                }
            } catch {
                logger.error("Draft cleanup failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            // Waking at once on shutdown: a service that sleeps through it holds the whole process up.
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                // Shutdown or cancellation ends the wait; the loop condition ends the service.
            }
        }
    }

    /// One round; returns how many drafts were removed. Their files are left to `sweepFiles`, which
    /// removes a file only once no row has referred to it for the grace period.
    func removeStaleDrafts(now: Int64 = Clock.nowMilliseconds()) async throws -> Int {
        try await DossierStore(database: database).deleteStaleDrafts(untouchedSince: now - maxAge.milliseconds)
    }

    /// Removes temp files and unreferenced stored files last written more than `grace` ago.
    func sweepFiles(grace: Duration, now: Date = Date()) async throws -> (orphans: Int, temporary: Int) {
        let cutoff = now.addingTimeInterval(-Double(grace.milliseconds) / 1000)
        let temporary = try await fileStore.removeTemporaryFiles(modifiedBefore: cutoff)
        let candidates = try await fileStore.storedFiles(modifiedBefore: cutoff)
        var orphans = 0
        for start in stride(from: 0, to: candidates.count, by: 500) {
            let batch = Array(candidates[start..<min(start + 500, candidates.count)])
            let referenced = Set(try await database.read { db in
                try await db.raw("""
                    SELECT sha256 FROM dossier_attachments WHERE sha256 IN (\(binds: batch))
                    UNION SELECT sha256 FROM form_templates WHERE sha256 IN (\(binds: batch))
                    UNION SELECT sha256 FROM dossier_slips WHERE sha256 IN (\(binds: batch))
                    UNION SELECT sha256 FROM payment_receipts WHERE sha256 IN (\(binds: batch))
                    """).all().map { try $0.decode(column: "sha256", as: String.self) }
            })
            for sha in batch where !referenced.contains(sha) {
                try await fileStore.delete(sha256: sha)
                orphans += 1
            }
        }
        return (orphans, temporary)
    }
}
