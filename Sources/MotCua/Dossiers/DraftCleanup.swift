import Foundation
import Logging
import SQLKit
import ServiceLifecycle

/// Removes drafts nobody has touched for `maxAge`, with the files only they used. Files are named by
/// content and may be shared (the same scan in two dossiers, a form template): a file goes only when no
/// attachment or template refers to it any more.
struct DraftCleanup: Service {
    let database: any Database
    let fileStore: any FileStore
    let logger: Logger
    var maxAge: Duration = .seconds(30 * 24 * 60 * 60)
    var interval: Duration = .seconds(60 * 60)
    var ready: ReadySignal? = nil

    func run() async throws {
        await ready?.wait()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let removed = try await removeStaleDrafts()
                if removed > 0 { logger.info("Removed stale drafts", metadata: ["count": "\(removed)"]) }
            } catch {
                logger.error("Draft cleanup failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            // Waking at once on shutdown: a service that sleeps through it holds the whole process up.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One round; returns how many drafts were removed.
    func removeStaleDrafts(now: Int64 = Clock.nowMilliseconds()) async throws -> Int {
        let cutoff = now - maxAge.milliseconds
        let (removed, orphans) = try await database.transaction { db -> (Int, [String]) in
            let stale = try await db.raw("""
                SELECT id FROM dossiers WHERE status = \(bind: DossierStatus.draft.rawValue) AND updated_at < \(bind: cutoff)
                """).all().map { try $0.decode(column: "id", as: Int64.self) }
            guard !stale.isEmpty else { return (0, []) }
            var files = Set<String>()
            for id in stale {
                for row in try await db.raw("SELECT sha256 FROM dossier_attachments WHERE dossier_id = \(bind: id)").all() {
                    files.insert(try row.decode(column: "sha256"))
                }
                try await db.raw("DELETE FROM dossiers WHERE id = \(bind: id) AND status = \(bind: DossierStatus.draft.rawValue)").run()
            }
            var orphans: [String] = []
            for sha in files {
                let used = try await db.raw("""
                    SELECT 1 AS one FROM dossier_attachments WHERE sha256 = \(bind: sha)
                    UNION ALL SELECT 1 AS one FROM form_templates WHERE sha256 = \(bind: sha)
                    """).first()
                if used == nil { orphans.append(sha) }
            }
            return (stale.count, orphans)
        }
        // After the commit: a crash between the two leaves an unreferenced file, never a missing one.
        for sha in orphans { try await fileStore.delete(sha256: sha) }
        return removed
    }
}
