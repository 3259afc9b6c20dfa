import Logging
import NIOCore
import SQLKit

/// An `SQLDatabase` over one connection that runs its statements itself (`PostgresSQL`, `SQLiteSQL`) and
/// takes everything else from the kit's own database over the same connection: its logger and event loop,
/// its dialect, its version, the future-based `execute`.
protocol KitBackedSQL: SQLDatabase {
    /// The kit's database over the same connection.
    var kit: any SQLDatabase { get }
}

extension KitBackedSQL {
    var logger: Logger { kit.logger }
    var eventLoop: any EventLoop { kit.eventLoop }
    var dialect: any SQLDialect { kit.dialect }
    var version: (any SQLDatabaseReportedVersion)? { kit.version }
    var queryLogLevel: Logger.Level? { kit.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        kit.execute(sql: query, onRow)
    }

    /// Logs a statement this type runs itself, at the kit's query level, as the kit logs its own.
    func logRun(_ sql: String, _ binds: [any Encodable & Sendable]) {
        guard let queryLogLevel else { return }
        logger.log(level: queryLogLevel, "Executing query", metadata: ["sql": .string(sql), "binds": .array(binds.map { .string("\($0)") })])
    }
}
