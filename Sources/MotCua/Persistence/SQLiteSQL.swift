import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO

/// SQLKit over one SQLite connection, reading the values of common types straight from their cells (as
/// `PostgresSQL` does for PostgreSQL).
///
/// SQLiteKit's row decodes every value through `SQLiteDataDecoder`, which looks the type up as
/// `SQLiteDataConvertible` (a protocol conformance search) and casts the result back to it: 8 % of the CPU
/// of a back office queue page (`perf`, bench/issue11.sh), which reads 14 columns of 50 rows. Here the
/// integers, strings, booleans and their optionals are taken from the cell when it holds exactly that
/// (an INTEGER for an integer, TEXT for a string, 0 or 1 for a boolean, NULL for an optional), which is
/// what `SQLiteDataDecoder` gives for those cells; every other case goes through SQLiteKit's own decoder,
/// so the results and the errors are the same.
struct SQLiteSQL: KitBackedSQL {
    let connection: SQLiteConnection
    /// SQLiteKit's database over the same connection: its dialect, its bind encoding, its other paths.
    let kit: any SQLDatabase
    /// A reader connection's kept statements, which its reads use; nil: every statement through sqlite-nio.
    let statements: SQLiteReadStatements?

    init(_ connection: SQLiteConnection, statements: SQLiteReadStatements? = nil) {
        self.connection = connection
        self.kit = connection.sql()
        self.statements = statements
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        logRun(sql, binds)
        let encoder = SQLiteDataEncoder()
        let data = try binds.map { try encoder.encode($0) }
        if let statements, SQLiteReadStatements.isRead(sql) {
            return try await statements.query(sql, data, onRow)
        }
        try await connection.query(sql, data) { row in onRow(SQLiteCellRow(row)) }
    }
}

/// A row whose integers, strings and booleans are taken from their cells; other types through SQLiteKit's
/// decoder. Columns are found by name, the first of a name as in sqlite-nio.
struct SQLiteCellRow: SQLRow {
    let columns: SQLiteReadStatements.Columns
    let values: [SQLiteData]

    init(columns: SQLiteReadStatements.Columns, values: [SQLiteData]) {
        self.columns = columns
        self.values = values
    }

    /// A row read by sqlite-nio.
    init(_ row: SQLiteRow) {
        let cells = row.columns
        self.init(columns: .init(cells.map(\.name)), values: cells.map(\.data))
    }

    var allColumns: [String] { columns.names }

    private func data(_ column: String) -> SQLiteData? { columns.index[column].map { values[$0] } }

    func contains(column: String) -> Bool { data(column) != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let data = data(column) else { return true }
        return data == .null
    }

    func decode<T: Decodable>(column: String, as type: T.Type) throws -> T {
        guard let data = data(column) else { throw MissingColumn(column: column) }
        if let value = Self.direct(T.self, data) { return value }
        return try SQLiteDataDecoder().decode(T.self, from: data)
    }

    struct MissingColumn: Error, CustomStringConvertible {
        let column: String
        var description: String { "No column \(column) in the row" }
    }

    /// The cell as `T` when `T` is one of the direct types (or its optional) and the cell holds exactly that;
    /// nil otherwise.
    private static func direct<T>(_ type: T.Type, _ data: SQLiteData) -> T? {
        switch data {
        case .integer(let value):
            if T.self == Int64.self { return same(Int64(value)) as T }
            if T.self == Int.self { return same(Int(value)) as T }
            if T.self == Int64?.self { return same(Int64?.some(Int64(value))) as T }
            if T.self == Int?.self { return same(Int?.some(Int(value))) as T }
            if value == 0 || value == 1 {
                if T.self == Bool.self { return same(value == 1) as T }
                if T.self == Bool?.self { return same(Bool?.some(value == 1)) as T }
            }
        case .text(let value):
            if T.self == String.self { return same(value) as T }
            if T.self == String?.self { return same(String?.some(value)) as T }
        case .null:
            if T.self == Int64?.self { return same(Int64?.none) as T }
            if T.self == Int?.self { return same(Int?.none) as T }
            if T.self == String?.self { return same(String?.none) as T }
            if T.self == Bool?.self { return same(Bool?.none) as T }
        case .float, .blob:
            break
        }
        return nil
    }

    /// `value` as `T`, which the caller has checked to be its very type: no dynamic cast.
    @inline(__always)
    private static func same<Value, T>(_ value: Value) -> T {
        precondition(Value.self == T.self)
        return unsafeBitCast(value, to: T.self)
    }
}
