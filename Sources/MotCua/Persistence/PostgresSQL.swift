import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// SQLKit over one PostgreSQL connection, reading the values of common types straight from their cells.
///
/// PostgresKit's row (`PostgresRow.sql()`) decodes every value through `PostgresDataTranslation`, which first
/// builds a coding path (a formatted string and an array) and casts the type for each value: about 30 % of
/// the portal's CPU on a 50-row list. Here the integers, strings, booleans and their optionals, which are
/// nearly every column the portal reads, are decoded by PostgresNIO directly, as PostgresKit's own fast path
/// does after that preamble; any other type, and any query with a bind this code does not encode as
/// PostgresKit would, go through PostgresKit itself, so the results are the same.
struct PostgresSQL: KitBackedSQL {
    let connection: PostgresConnection
    /// PostgresKit's database over the same connection, for what is not on the fast path.
    let kit: any SQLDatabase
    /// Where statements are named and prepared once per connection; nil: every statement unnamed.
    let statements: PostgresStatements?

    init(_ connection: PostgresConnection, statements: PostgresStatements? = nil) {
        self.connection = connection
        self.kit = connection.sql()
        self.statements = statements
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        var bindings = PostgresBindings(capacity: binds.count)
        var types: [UInt32] = []
        types.reserveCapacity(binds.count)
        for bind in binds {
            guard let type = Self.append(bind, to: &bindings) else { return try await kit.execute(sql: query, onRow) }
            types.append(type)
        }
        logRun(sql, binds)
        if let statements, let name = statements.name(for: sql, types: types, on: connection.id) {
            let rows: AsyncThrowingMapSequence<PostgresRowSequence, PostgresRow>
            do {
                rows = try await PostgresStatements.execute(name, sql: sql, bindings: bindings, on: connection, logger: logger)
            } catch {
                statements.failed(name, on: connection.id)
                throw error
            }
            return try await Self.deliver(rows, to: onRow)
        }
        try await Self.deliver(try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger), to: onRow)
    }

    /// Hands each row of a prepared or an unnamed statement to `onRow`, its cells read directly.
    private static func deliver<Rows: AsyncSequence>(_ rows: Rows, to onRow: @Sendable (any SQLRow) -> Void) async throws
    where Rows.Element == PostgresRow {
        for try await row in rows {
            onRow(PostgresSQLRow(row: row, cells: row.makeRandomAccess()))
        }
    }

    /// Appends a bind as PostgresKit encodes it when that is NULL or PostgresNIO's own encoding, and gives its
    /// type (0 for NULL); nil otherwise.
    private static func append<Value: Encodable>(_ value: Value, to bindings: inout PostgresBindings) -> UInt32? {
        if (value as Optional<Any>) == nil {
            bindings.appendNull()
            return 0
        }
        guard let encodable = value as? any PostgresThrowingDynamicTypeEncodable,
              (try? bindings.append(encodable, context: .default)) != nil
        else { return nil }
        return encodable.psqlType.rawValue
    }
}

/// A row whose integers, strings and booleans are decoded from their cells; other types through PostgresKit.
struct PostgresSQLRow: SQLRow {
    let row: PostgresRow
    let cells: PostgresRandomAccessRow

    var allColumns: [String] { cells.map(\.columnName) }

    func contains(column: String) -> Bool { cells.contains(column) }

    func decodeNil(column: String) throws -> Bool {
        !cells.contains(column) || cells[column].bytes == nil
    }

    func decode<T: Decodable>(column: String, as type: T.Type) throws -> T {
        if cells.contains(column), let value = try Self.fast(T.self, cells[column]) { return value }
        return try row.sql().decode(column: column, as: T.self)
    }

    /// The value when `T` is one of the direct types (or its optional); nil for any other type, and for a cell
    /// PostgresKit treats specially (a string from a user-defined type).
    private static func fast<T>(_ type: T.Type, _ cell: PostgresCell) throws -> T? {
        switch type {
        case is Int64.Type, is Int64?.Type: return try direct(Int64.self, cell, as: T.self)
        case is Int.Type, is Int?.Type: return try direct(Int.self, cell, as: T.self)
        case is Int32.Type, is Int32?.Type: return try direct(Int32.self, cell, as: T.self)
        case is Bool.Type, is Bool?.Type: return try direct(Bool.self, cell, as: T.self)
        case is String.Type, is String?.Type:
            guard !cell.dataType.isUserDefined else { return nil }
            return try direct(String.self, cell, as: T.self)
        default: return nil
        }
    }

    /// `Value` or `Value?` from the cell, as `T` (one of the two): a NULL cell is nil for the optional and an
    /// error for the value, as PostgresNIO's decoding says.
    private static func direct<Value: PostgresDecodable, T>(_ value: Value.Type, _ cell: PostgresCell, as: T.Type) throws -> T {
        if T.self == Value?.self {
            guard cell.bytes != nil else { return Value?.none as! T }
            return Value?.some(try cell.decode(Value.self)) as! T
        }
        return try cell.decode(Value.self) as! T
    }
}
