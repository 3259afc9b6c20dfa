import Foundation
import SQLKit

/// The days off and make-up working days administrators add to the statutory calendar (the government
/// announces them each year), stored in `calendar_overrides`.
struct CalendarOverrides: Sendable {
    let database: any Database

    struct Entry: Sendable {
        var day: CivilDate
        var kind: WorkingCalendar.Override
        var note: String
    }

    func all() async throws -> [Entry] {
        try await database.read { try await Self.all(in: $0) }
    }

    static func all(in db: any SQLDatabase) async throws -> [Entry] {
        try await db.raw("SELECT day, kind, note FROM calendar_overrides ORDER BY day").all().compactMap { row in
            guard let day = CivilDate(iso: try row.decode(column: "day")),
                  let kind = WorkingCalendar.Override(rawValue: try row.decode(column: "kind"))
            else { return nil }
            return Entry(day: day, kind: kind, note: try row.decode(column: "note"))
        }
    }

    func calendar() async throws -> WorkingCalendar {
        try await database.read { try await Self.calendar(in: $0) }
    }

    /// The working calendar inside a read or transaction the caller holds.
    static func calendar(in db: any SQLDatabase) async throws -> WorkingCalendar {
        WorkingCalendar(overrides: Dictionary(try await all(in: db).map { ($0.day, $0.kind) }, uniquingKeysWith: { $1 }))
    }

    func set(_ day: CivilDate, _ kind: WorkingCalendar.Override?, note: String = "") async throws {
        try await database.transaction { db in
            try await db.raw("DELETE FROM calendar_overrides WHERE day = \(bind: day.description)").run()
            if let kind {
                try await db.raw("""
                    INSERT INTO calendar_overrides (day, kind, note) VALUES (\(bind: day.description), \(bind: kind.rawValue), \(bind: note))
                    """).run()
            }
        }
    }
}
