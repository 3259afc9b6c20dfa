import Foundation
import SQLKit

/// The days off and make-up working days administrators add to the statutory calendar (the government
/// announces them each year), stored in `calendar_overrides`.
struct CalendarOverrides: Sendable {
    let database: any Database

    func calendar() async throws -> WorkingCalendar {
        let rows = try await database.read { try await $0.raw("SELECT day, kind FROM calendar_overrides").all() }
        var overrides: [CivilDate: WorkingCalendar.Override] = [:]
        for row in rows {
            if let day = CivilDate(iso: try row.decode(column: "day")),
               let kind = WorkingCalendar.Override(rawValue: try row.decode(column: "kind")) {
                overrides[day] = kind
            }
        }
        return WorkingCalendar(overrides: overrides)
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
