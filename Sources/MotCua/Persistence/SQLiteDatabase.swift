import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import ServiceLifecycle
import Synchronization

/// SQLite in WAL mode: one writer connection whose transactions are serialized by a lock, and a few
/// reader connections used round-robin. Owns its connections and closes them on shutdown (sqlite-nio
/// traps in debug builds when a connection is left open).
///
/// The writer runs on a thread of its own and the readers on theirs: on the shared NIO thread pool (as
/// many threads as cores) every statement of a write transaction queued behind the reads of busy pages,
/// and writes took hundreds of milliseconds under mixed load.
public final class SQLiteDatabase: Database, Service {
    public let engine = DatabaseEngine.sqlite
    private let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let writeLock = AsyncLock()
    private let nextReader = Atomic<Int>(0)
    private let closed = Mutex(false)
    private let logger: Logger
    private let pools: [NIOThreadPool]

    private let path: String

    private init(path: String, writer: SQLiteConnection, readers: [SQLiteConnection], pools: [NIOThreadPool], logger: Logger) {
        self.path = path
        self.writer = writer
        self.readers = readers
        self.pools = pools
        self.logger = logger
    }

    /// Opens (creating if needed) the database file at `path`.
    public static func open(path: String, readerCount: Int = 4, logger: Logger) async throws -> SQLiteDatabase {
        let writerPool = NIOThreadPool(numberOfThreads: 1)
        let readerPool = NIOThreadPool(numberOfThreads: max(1, readerCount))
        writerPool.start()
        readerPool.start()
        let writer = try await openConnection(path: path, threadPool: writerPool, logger: logger)
        // WAL is a property of the file: set it once, on the writer, before readers open.
        try await writer.sql().raw("PRAGMA journal_mode=WAL").run()
        try await writer.sql().raw("PRAGMA synchronous=FULL").run()
        var readers: [SQLiteConnection] = []
        for _ in 0..<max(1, readerCount) {
            readers.append(try await openConnection(path: path, threadPool: readerPool, logger: logger))
        }
        return SQLiteDatabase(path: path, writer: writer, readers: readers, pools: [writerPool, readerPool], logger: logger)
    }

    private static func openConnection(path: String, threadPool: NIOThreadPool, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: threadPool, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        let db = connection.sql()
        try await db.raw("PRAGMA busy_timeout=10000").run()
        try await db.raw("PRAGMA foreign_keys=ON").run()
        return connection
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let index = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
        let connection = readers[abs(index % readers.count)]
        return try await body(connection.sql())
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await writeLock.withLock {
            let db = writer.sql()
            // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on a busy file.
            try await db.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                do { try await db.raw("ROLLBACK").run() } catch {
                    logger.error("SQLite rollback failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                throw error
            }
        }
    }

    /// A connection of its own with a deferred read transaction: in WAL mode that is a snapshot which
    /// the writer does not wait for, and the shared readers are not held by a long backup.
    public func snapshot<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let connection = try await Self.openConnection(path: path, threadPool: pools[1], logger: logger)
        do {
            let db = connection.sql()
            try await db.raw("BEGIN DEFERRED").run()
            // The first read fixes the snapshot.
            _ = try await db.raw("SELECT COUNT(*) AS n FROM schema_migrations").first()
            let result = try await body(db)
            try await db.raw("COMMIT").run()
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Closes every connection; safe to call more than once.
    public func close() async {
        let alreadyClosed = closed.withLock { closed in
            defer { closed = true }
            return closed
        }
        guard !alreadyClosed else { return }
        // Closing must happen even when the calling task is cancelled (as services are at shutdown).
        let connections = readers + [writer]
        let pools = self.pools
        await Task.detached {
            for connection in connections { try? await connection.close() }
            for pool in pools { try? await pool.shutdownGracefully() }
        }.value
    }

    deinit {
        // Safety net for a database dropped without `close()` (for example when start-up fails after
        // opening it): the future keeps each connection alive until it is closed.
        if !closed.withLock({ $0 }) {
            for connection in readers + [writer] { _ = connection.close() }
            for pool in pools { pool.shutdownGracefully { _ in } }
        }
    }

    /// As a service: stay up until shutdown, then close the connections.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
