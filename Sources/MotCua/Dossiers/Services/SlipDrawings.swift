import Logging
import ServiceLifecycle
import Synchronization

/// The slips being drawn after their step has answered. A desk step used to wait for its slip's PDF (3–5 ms
/// of CPU, a file write with fsync, a second write transaction): under load that was 35–70 ms of every
/// acceptance. The step now answers once its transaction commits, and the PDF is drawn here; the slip's row
/// already holds everything it says, so nothing is lost when a drawing does not happen (too many at once, a
/// crash, a shutdown): a slip without its file is drawn when it is first downloaded.
///
/// A download of a slip still being drawn waits for that drawing instead of drawing it twice. At a graceful
/// shutdown the service waits for the drawings in flight.
final class SlipDrawings: Service, Sendable {
    /// Drawings in flight by slip id.
    private let inFlight = Mutex<[Int64: Task<StoredFile?, Never>]>([:])
    /// Beyond this many at once a slip is left for its first download, so a burst of steps cannot pile up work.
    let limit: Int
    private let logger: Logger

    init(limit: Int = 64, logger: Logger = Logger(label: "motcua.slips")) {
        self.limit = limit
        self.logger = logger
    }

    /// Starts drawing `slip` in the background unless as many are in flight as allowed.
    func start(_ slip: DossierSlips.Recorded, with slips: DossierSlips, database: any Database) {
        inFlight.withLock { tasks in
            guard tasks.count < limit, tasks[slip.id] == nil else { return }
            // The task removes itself under the same lock, so it cannot finish before it is registered.
            tasks[slip.id] = Task { [self] in
                defer { _ = inFlight.withLock { $0.removeValue(forKey: slip.id) } }
                do {
                    return try await slips.draw(slip, database: database)
                } catch {
                    logger.warning("Slip not drawn after its step; it is drawn when first downloaded", metadata: [
                        "slip": "\(slip.id)", "error": "\(String(reflecting: error))",
                    ])
                    return nil
                }
            }
        }
    }

    /// The file of a drawing in flight, once it is done; nil when none is in flight (or it failed).
    func awaitDrawing(of slipID: Int64) async -> StoredFile? {
        guard let task = inFlight.withLock({ $0[slipID] }) else { return nil }
        return await task.value
    }

    /// Returns when no drawing is in flight.
    func drained() async {
        while let task = inFlight.withLock({ $0.values.first }) {
            _ = await task.value
        }
    }

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            // Cancelled rather than shut down gracefully: the drawings in flight still finish first.
        }
        await drained()
    }
}
