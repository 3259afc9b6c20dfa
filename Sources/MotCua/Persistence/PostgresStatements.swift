import Crypto
import Logging
import PostgresNIO
import Synchronization

/// Runs the portal's statements as named prepared statements, so that PostgreSQL plans each one once per
/// connection instead of at every execution.
///
/// Why: with PostgresNIO's unnamed statements PostgreSQL parses and plans every query. Measured with
/// `pg_stat_statements` under `bench/issue16.sh` (1,000,000-row `dossiers` with its indexes), planning was
/// three quarters of the database's time for the lists: 0.45 ms of planning against 0.14 ms of execution
/// for "my dossiers", 0.47 against 0.27 for the staff list, 0.25 against 0.05 for the session's user.
///
/// How: PostgresNIO prepares a `PostgresPreparedStatement` on each connection the first time that connection
/// runs it (by its name) and keeps it for the connection's life. Its name and text are static properties of
/// the statement's type, read when `execute` is called, before it first suspends; `Dynamic` reads them from
/// a task-local value set around that call, so one type serves every query text. The parameter types are
/// those of the first execution's bindings, as for an unnamed statement; so the name covers the text and the
/// bindings' types (a NULL has none), and a statement bound with other types is another statement.
///
/// Bounds and fallbacks (`PostgresSQL` then runs the query unnamed, as before):
/// - at most `limit` distinct statements in the process, so texts made with values in them cannot fill the
///   server's memory on long-lived connections; only `SELECT`, `INSERT`, `UPDATE`, `DELETE` and `WITH`, and
///   none that selects `*` (see `isPreparable`);
/// - PostgresNIO keeps a failed preparation as failed for the connection's life (a statement first seen in a
///   transaction already aborted would fail there forever), so a statement that fails once on a connection is
///   run unnamed on that connection from then on.
final class PostgresStatements: Sendable {
    private struct State {
        /// By text and types: the statement's name, or nil for a text that is not prepared.
        var names: [String: String?] = [:]
        /// Connection id and statement name of each statement that failed there.
        var failed: Set<Failure> = []
    }

    private struct Failure: Hashable {
        let connection: PostgresConnection.ID
        let name: String
    }

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int = 1_000) {
        self.limit = limit
    }

    /// The name of `sql` bound with `types` (PostgreSQL type OIDs, 0 for NULL), or nil when it is not run
    /// as a prepared statement on `connection`.
    func name(for sql: String, types: [UInt32], on connection: PostgresConnection.ID) -> String? {
        let signature = sql + "\u{0}" + types.map(String.init).joined(separator: ",")
        return state.withLock { state -> String? in
            let name: String
            if let known = state.names[signature] {
                guard let known else { return nil }
                name = known
            } else {
                guard state.names.count < limit else { return nil }
                guard Self.isPreparable(sql) else {
                    state.names[signature] = .some(nil)
                    return nil
                }
                name = "motcua_" + SHA256.hash(data: Array(signature.utf8)).prefix(16).hexDigits
                state.names[signature] = name
            }
            return state.failed.contains(Failure(connection: connection, name: name)) ? nil : name
        }
    }

    /// `name` failed on `connection`: run it unnamed there from now on.
    func failed(_ name: String, on connection: PostgresConnection.ID) {
        state.withLock { state in
            // Connections come and go; a bound keeps this set from growing for the life of the process.
            if state.failed.count >= 10 * limit { state.failed.removeAll() }
            state.failed.insert(Failure(connection: connection, name: name))
        }
    }

    /// Statements prepared (texts that are not prepared left out).
    var count: Int { state.withLock { $0.names.values.count { $0 != nil } } }

    /// A data statement that does not select `*`: a prepared statement's result columns are fixed when it is
    /// prepared, and PostgreSQL refuses to run it once a migration (of another, newer process during a rolling
    /// upgrade) has added a column to a table it selects all columns of.
    static func isPreparable(_ sql: String) -> Bool {
        let head = sql.utf8.prefix(while: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") })
        guard ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].contains(where: { $0.utf8.elementsEqual(head.lazy.map(Self.upper)) })
        else { return false }
        return !sql.contains("SELECT *") && !sql.contains(".*") && !sql.contains("RETURNING *")
    }

    private static func upper(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) ? byte - 32 : byte
    }

    /// Runs the statement `name` (text `sql`) with `bindings` on `connection`.
    static func execute(_ name: String, sql: String, bindings: PostgresBindings, on connection: PostgresConnection,
                        logger: Logger) async throws -> AsyncThrowingMapSequence<PostgresRowSequence, PostgresRow> {
        try await Dynamic.$current.withValue(Dynamic.Text(name: name, sql: sql)) {
            try await connection.execute(Dynamic(bindings: bindings), logger: logger)
        }
    }

    /// A prepared statement whose name and text are the task-local `current` (see the type's comment).
    private struct Dynamic: PostgresPreparedStatement {
        struct Text: Sendable {
            let name: String
            let sql: String
        }

        typealias Row = PostgresRow
        @TaskLocal static var current = Text(name: "", sql: "")

        static var name: String { current.name }
        static var sql: String { current.sql }

        let bindings: PostgresBindings
        func makeBindings() throws -> PostgresBindings { bindings }
        func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
    }
}
