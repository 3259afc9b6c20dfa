import CSQLiteConfig
import NIOCore
import NIOPosix
import SQLiteNIO
import NIOConcurrencyHelpers
import VaporCSQLite

/// Prepared statements kept per reader connection, so that a read parses its SQL once per connection
/// instead of at every request.
///
/// Why this exists: sqlite-nio (1.13) prepares every statement anew and finalizes it after the last row, and
/// it offers no statement cache. Parsing and planning were 19 % of the CPU of "my dossiers" over the API and
/// 11 % of a back office queue page (`perf`, bench/issue16.sh and bench/issue11.sh), more than running the
/// statements. No local package fills the gap (SQLiteKit and sqlite-nio prepare per call; GRDB needs the
/// system's libsqlite3), so this file drives the same SQLite sqlite-nio embeds (its `VaporCSQLite` module,
/// with its `sqlite_nio_` prefix) on the connection sqlite-nio opened.
///
/// SQLite prepares a kept statement again at its next run when its plan used a bound value: measured, every
/// statement that joins tables with a `column = ?` term and every `LIMIT ?` was prepared anew at each run, so
/// the cache saved them nothing. The reader connections therefore run with SQLite's query planner stability
/// guarantee (`SQLITE_DBCONFIG_ENABLE_QPSG`, set through the C target CSQLiteConfig, as Swift cannot call a C
/// function with variable arguments): a statement's plan is made from its text and the schema alone, never
/// from the values bound, which is how the portal's lists and indexes are designed (their plans are checked
/// with `EXPLAIN QUERY PLAN` in bench/issue11.sh and bench/issue16.sh). The writer keeps SQLite's defaults.
///
/// sqlite-nio keeps the `sqlite3*` handle internal; `init?(connection:)` reads it through `Mirror` and gives
/// nil when a later version stores it otherwise, and reads then go through sqlite-nio as before
/// (`SQLiteReadStatementsTests` fails in that case, so an upgrade that loses the cache is noticed).
///
/// Only reads (`SELECT`, `WITH`) on reader connections use it; writes go through sqlite-nio unchanged. A
/// reader connection serves one read at a time (`SQLiteDatabase`), and every call here runs on that
/// connection's thread pool, one call at a time, so the statements are never used concurrently. Each
/// statement is reset as soon as its rows are read, which ends its read transaction: a kept statement holds
/// no snapshot and does not stop WAL checkpoints. At most `limit` texts are kept per connection (the portal
/// has a few hundred distinct read texts); past that the least recently used is finalized. `close()`
/// finalizes them all before the connection closes, or SQLite would refuse to close it.
final class SQLiteReadStatements: @unchecked Sendable {
    /// The column names of a statement's rows, shared by its rows.
    final class Columns: Sendable {
        let names: [String]
        let index: [String: Int]

        init(_ names: [String]) {
            self.names = names
            var index: [String: Int] = [:]
            for (offset, name) in names.enumerated() where index[name] == nil { index[name] = offset }
            self.index = index
        }
    }

    /// A class, so that a hit marks its use without writing the dictionary again (one hash of the text per run).
    private final class Prepared {
        let statement: OpaquePointer
        let columns: Columns
        var lastUse: UInt64

        init(statement: OpaquePointer, columns: Columns, lastUse: UInt64) {
            self.statement = statement
            self.columns = columns
            self.lastUse = lastUse
        }
    }

    private let handle: OpaquePointer
    private let pool: NIOThreadPool
    private let limit: Int
    // Touched only inside `pool.runIfActive`, under `lock`: one call at a time even if a caller ran two
    // queries of one read concurrently (the portal does not).
    private let lock = NIOLock()
    private var prepared: [String: Prepared] = [:]
    private var uses: UInt64 = 0

    init?(connection: SQLiteConnection, pool: NIOThreadPool, limit: Int = 256) {
        guard let box = Mirror(reflecting: connection).descendant("handle").map({ $0 as AnyObject }),
              let raw = Mirror(reflecting: box).descendant("raw") as? OpaquePointer
        else { return nil }
        // Plans that do not depend on bound values: else SQLite prepares a statement again at each run (below).
        guard motcua_sqlite_enable_qpsg(UnsafeMutableRawPointer(raw)) == 1 else { return nil }
        self.handle = raw
        self.pool = pool
        self.limit = max(1, limit)
    }

    /// Whether `sql` is a read this cache runs: one `SELECT` or `WITH` statement.
    static func isRead(_ sql: String) -> Bool {
        let head = sql.utf8.prefix(6)
        return head.count >= 4 && (head.elementsEqual("SELECT".utf8) || head.prefix(4).elementsEqual("WITH".utf8))
    }

    /// Runs `sql` with `binds` on the connection's thread and hands each row to `onRow` there.
    func query(_ sql: String, _ binds: [SQLiteData], _ onRow: @escaping @Sendable (SQLiteCellRow) -> Void) async throws {
        try await pool.runIfActive { try self.lock.withLock { try self.run(sql, binds, onRow) } }
    }

    /// Finalizes the kept statements (on the connection's thread); the connection may be closed afterwards.
    func close() async {
        try? await pool.runIfActive {
            self.lock.withLock {
                for prepared in self.prepared.values { sqlite_nio_sqlite3_finalize(prepared.statement) }
                self.prepared = [:]
            }
        }
    }

    var count: Int {
        get async { (try? await pool.runIfActive { self.lock.withLock { self.prepared.count } }) ?? 0 }
    }

    /// How many times SQLite prepared the kept statement of `sql` again since it was made (nil: not kept). SQLite
    /// does that when a statement's plan depends on a bound value (then the cache saves nothing for it).
    func reprepares(of sql: String) async -> Int? {
        try? await pool.runIfActive {
            self.lock.withLock {
                self.prepared[sql].map { Int(sqlite_nio_sqlite3_stmt_status($0.statement, SQLITE_STMTSTATUS_REPREPARE, 0)) }
            }
        } ?? nil
    }

    private func run(_ sql: String, _ binds: [SQLiteData], _ onRow: (SQLiteCellRow) -> Void) throws {
        let prepared = try statement(for: sql)
        let statement = prepared.statement
        // Reset whatever happens: the statement's read transaction ends and its bindings go.
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        for (offset, bind) in binds.enumerated() {
            try check(Self.bind(bind, at: Int32(offset + 1), to: statement))
        }
        let width = Int32(prepared.columns.names.count)
        while true {
            let step = sqlite_nio_sqlite3_step(statement)
            if step == SQLITE_DONE { return }
            guard step == SQLITE_ROW else { throw error(step) }
            var values: [SQLiteData] = []
            values.reserveCapacity(Int(width))
            for column in 0..<width { values.append(Self.value(statement, column)) }
            onRow(SQLiteCellRow(columns: prepared.columns, values: values))
        }
    }

    /// The kept statement of `sql`, or a new one (finalizing the least recently used beyond `limit`).
    private func statement(for sql: String) throws -> Prepared {
        uses &+= 1
        if let found = prepared[sql] {
            found.lastUse = uses
            return found
        }
        var statement: OpaquePointer?
        let flags = UInt32(SQLITE_PREPARE_PERSISTENT)
        let code = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, flags, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            if let statement { sqlite_nio_sqlite3_finalize(statement) }
            throw error(code)
        }
        let count = sqlite_nio_sqlite3_column_count(statement)
        let names = (0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(statement, $0)) }
        if prepared.count >= limit, let oldest = prepared.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            sqlite_nio_sqlite3_finalize(oldest.value.statement)
            prepared[oldest.key] = nil
        }
        let made = Prepared(statement: statement, columns: Columns(names), lastUse: uses)
        prepared[sql] = made
        return made
    }

    private static func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let value): sqlite_nio_sqlite3_bind_int64(statement, index, Int64(value))
        case .float(let value): sqlite_nio_sqlite3_bind_double(statement, index, value)
        case .null: sqlite_nio_sqlite3_bind_null(statement, index)
        case .text(let value):
            sqlite_nio_sqlite3_bind_text64(statement, index, value, UInt64(value.utf8.count), SQLITE_TRANSIENT, UInt8(SQLITE_UTF8))
        case .blob(let value):
            value.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), SQLITE_TRANSIENT)
            }
        }
    }

    /// A column of the current row, as sqlite-nio reads it.
    private static func value(_ statement: OpaquePointer, _ column: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(SQLiteInt64(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, column), count > 0 {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default: return .null
        }
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw error(code) }
    }

    private func error(_ code: Int32) -> SQLiteReadError {
        SQLiteReadError(code: code, message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
    }
}

/// SQLite's `SQLITE_TRANSIENT` destructor (SQLite copies the bound bytes), as sqlite-nio spells it.
private let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A read that SQLite refused: its result code and message (as sqlite-nio's `SQLiteError` describes them).
struct SQLiteReadError: Error, CustomStringConvertible {
    let code: Int32
    let message: String

    var description: String { "SQLite error \(code): \(message)" }
}
