@testable import MotCua

/// At most `limit` tests at a time hold a PostgreSQL database of their own.
///
/// Swift Testing starts every test at once: on the 2-core machines that is some 300 applications, each
/// creating a database, migrating it and running a pool of connections, all at the same time. Migrating one
/// database then took minutes, and in 2 of about 9 full runs (one in CI, one here) a few tests stopped for
/// good part-way through their migrations: the process idle, no connection open, each test's database at a
/// different schema version. The cause was not found (PostgresNIO's pool under that load is the likely
/// place; no test alone ever did it). Bounding the tests that hold a database keeps the server and the pools
/// within what the machine serves, and the suite is no slower for it (215 s against 233 s), since the cores
/// were the limit anyway. Time limits on tests are hang guards of 10 minutes: a test may wait for its slot.
///
/// The waiting and handing over is the portal's own `WorkGate` (as for bcrypt), with a queue without bound.
final class TestSlots: Sendable {
    private let gate: WorkGate

    init(limit: Int) { gate = WorkGate(limit: limit, queueLimit: .max) }

    /// Whether the current task already holds a slot (a test that opens a second database inside the first
    /// must not wait for a slot it is itself keeping busy).
    @TaskLocal static var holding = false

    func withSlot<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        if Self.holding { return try await body() }
        return try await gate.run { try await Self.$holding.withValue(true) { try await body() } }
    }
}
