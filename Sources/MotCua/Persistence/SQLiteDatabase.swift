import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import ServiceLifecycle
import Synchronization

/// SQLite in WAL mode: one writer connection whose transactions are serialized by a lock, and reader
/// connections each used by one read at a time. Owns its connections and closes them on shutdown (sqlite-nio
/// traps in debug builds when a connection is left open).
///
/// One read at a time per reader connection, because SQLite's read transaction belongs to the connection:
/// sqlite-nio lets two threads step statements on one handle at once, and a statement that starts while
/// another is still stepping on the same connection runs in that statement's older snapshot. With readers
/// shared round-robin, the durability suite once got a 404 for a dossier created 2 ms before (under load,
/// during a backup); this is the likely cause, and sharing is what this removes. A read takes an idle
/// reader, or opens one when all are busy (so a read never waits for another, and a read inside a read
/// cannot deadlock); up to `maxIdleReaders` stay open for the next ones. Reads in flight follow requests in
/// flight (each waits for a reader thread with its connection checked out), so that bound is well above the
/// connections a loaded server serves: at 16, 32 clients made the server open a connection (parsing the whole
/// schema) and close another for most signed-in requests, a quarter of its CPU.
///
/// The writer runs on a thread of its own and the readers on theirs: on the shared NIO thread pool (as
/// many threads as cores) every statement of a write transaction queued behind the reads of busy pages,
/// and writes took hundreds of milliseconds under mixed load. A write transaction's continuations run on
/// the writer's thread too (see `ThreadPoolTaskExecutor`).
public final class SQLiteDatabase: Database, Service {
    public let engine = DatabaseEngine.sqlite
    private let writer: SQLiteConnection
    /// Reader connections not in use; a read takes one (or opens one) and gives it back.
    private let idleReaders: Mutex<[Reader]>
    private let maxIdleReaders: Int
    private let writeLock = AsyncLock()
    /// Where a write transaction's continuations run: the writer connection's own thread.
    private let writeExecutor: ThreadPoolTaskExecutor
    /// Where a read's continuations run: the readers' threads.
    private let readExecutor: ThreadPoolTaskExecutor
    private let closed = Mutex(false)
    private let logger: Logger
    private let pools: [NIOThreadPool]

    private let path: String

    /// A reader connection and its kept statements (`SQLiteReadStatements`).
    private struct Reader: Sendable {
        let connection: SQLiteConnection
        let statements: SQLiteReadStatements?

        func close() async {
            await statements?.close()
            try? await connection.close()
        }
    }

    private init(path: String, writer: SQLiteConnection, readers: [Reader], pools: [NIOThreadPool], logger: Logger) {
        self.path = path
        self.writer = writer
        self.idleReaders = Mutex(readers)
        self.maxIdleReaders = max(readers.count, 128)
        self.pools = pools
        self.logger = logger
        precondition(pools[0].numberOfThreads == 1, "the writer runs on one thread")
        self.writeExecutor = ThreadPoolTaskExecutor(pool: pools[0], niceness: -10)
        self.readExecutor = ThreadPoolTaskExecutor(pool: pools[1])
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
        var readers: [Reader] = []
        for _ in 0..<max(1, readerCount) {
            readers.append(try await openReader(path: path, threadPool: readerPool, logger: logger))
        }
        return SQLiteDatabase(path: path, writer: writer, readers: readers, pools: [writerPool, readerPool], logger: logger)
    }

    private static func openReader(path: String, threadPool: NIOThreadPool, logger: Logger) async throws -> Reader {
        let connection = try await openConnection(path: path, threadPool: threadPool, logger: logger)
        return Reader(connection: connection, statements: SQLiteReadStatements(connection: connection, pool: threadPool))
    }

    private static func openConnection(path: String, threadPool: NIOThreadPool, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path), threadPool: threadPool, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        let db = connection.sql()
        try await db.raw("PRAGMA busy_timeout=10000").run()
        try await db.raw("PRAGMA foreign_keys=ON").run()
        return connection
    }

    public func readSeveral<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(readExecutor) {
            try await read(body)
        }
    }

    public func read<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let reader = try await checkOutReader()
        do {
            let result = try await body(SQLiteSQL(reader.connection, statements: reader.statements))
            await checkIn(reader)
            return result
        } catch {
            await checkIn(reader)
            throw error
        }
    }

    private func checkOutReader() async throws -> Reader {
        if let idle = idleReaders.withLock({ $0.popLast() }) { return idle }
        return try await Self.openReader(path: path, threadPool: pools[1], logger: logger)
    }

    /// Keeps the connection for the next read, or closes it when enough are idle or the database is closed.
    private func checkIn(_ reader: Reader) async {
        let kept = idleReaders.withLock { idle -> Bool in
            guard idle.count < maxIdleReaders, !closed.withLock({ $0 }) else { return false }
            idle.append(reader)
            return true
        }
        if !kept { await reader.close() }
    }

    public func transaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(writeExecutor) {
            try await writeTransaction(body)
        }
    }

    private func writeTransaction<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await writeLock.withLock {
            let db = SQLiteSQL(writer)
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
        let readers = idleReaders.withLock { idle in
            defer { idle.removeAll() }
            return idle
        }
        let writer = self.writer
        let pools = self.pools
        await Task.detached {
            for reader in readers { await reader.close() }
            try? await writer.close()
            for pool in pools { try? await pool.shutdownGracefully() }
        }.value
    }

    deinit {
        // Safety net for a database dropped without `close()` (for example when start-up fails after
        // opening it): the future keeps each connection alive until it is closed. (A reader that kept
        // statements stays open: SQLite closes no connection with statements left; this is a leak at worst.)
        if !closed.withLock({ $0 }) {
            for connection in idleReaders.withLock({ $0 }).map(\.connection) + [writer] { _ = connection.close() }
            for pool in pools { pool.shutdownGracefully { _ in } }
        }
    }

    /// As a service: stay up until shutdown, then close the connections.
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
