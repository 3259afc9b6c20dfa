import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// A seeded history of dossiers whose figures the test counts on its own, from its own seed, with its own
/// reading of the rules (Foundation's calendar in UTC+7 for Vietnam days), and compares with what the page,
/// the CSV tables and the API say. Runs on SQLite, and on PostgreSQL when DATABASE_URL is set.
@Suite("Statistics")
struct StatisticsTests {
    /// One seeded dossier, as the test knows it.
    struct Seed: Sendable {
        var procedureID: Int64
        var agencyCode: String
        var status: Int
        var channel: Int
        var submittedAt: Int64?
        var dueAt: Int64?
        var finishedAt: Int64?
    }

    struct Catalog: Sendable {
        var procedures: [(id: Int64, agencyID: Int64, agencyCode: String, code: String)]
        var applicantID: Int64
    }

    static let vietnam: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600)!
        return calendar
    }()

    /// Milliseconds of a Vietnam wall-clock moment.
    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Int64 {
        let date = vietnam.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func vietnamDay(_ ms: Int64) -> DateComponents {
        vietnam.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    // MARK: Seed

    static func catalog(_ database: any Database) async throws -> Catalog {
        try await database.read { db in
            let procedures = try await db.raw("""
                SELECT p.id, p.agency_id, a.code AS agency_code, p.code FROM procedures p JOIN agencies a ON a.id = p.agency_id ORDER BY p.id
                """).all().map { row in
                (id: try row.decode(column: "id", as: Int64.self), agencyID: try row.decode(column: "agency_id", as: Int64.self),
                 agencyCode: try row.decode(column: "agency_code", as: String.self), code: try row.decode(column: "code", as: String.self))
            }
            let applicant = try #require(try await db.raw("SELECT id FROM users ORDER BY id LIMIT 1").first()).decode(column: "id", as: Int64.self)
            return Catalog(procedures: procedures, applicantID: applicant)
        }
    }

    /// A deterministic history over 2023–2025: every status and channel, due moments before and after "now",
    /// results early, on the due day and late, and moments exactly on period boundaries.
    static func history(_ catalog: Catalog) -> [Seed] {
        var state: UInt64 = 20_250_314
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let day: Int64 = 86_400_000
        let start = at(2023, 1, 1), span = at(2026, 1, 1) - start
        // Three quarters of the dossiers go to the first two procedures, so per-procedure rows differ.
        let procedures = catalog.procedures
        var seeds: [Seed] = []
        for index in 0..<600 {
            let procedure = next(4) > 0 ? procedures[next(min(2, procedures.count))] : procedures[next(procedures.count)]
            let status = next(11)
            let submitted = start + Int64(next(Int(span / 60_000))) * 60_000
            var seed = Seed(procedureID: procedure.id, agencyCode: procedure.agencyCode, status: status, channel: next(3) + 1,
                            submittedAt: status == 0 ? nil : submitted)
            if ![0, 1, 3, 7].contains(status) {
                // Due in 1–15 days; one open dossier in four is due only in 2027 (not overdue today).
                seed.dueAt = [2, 4, 5, 6].contains(status) && next(4) == 0 ? at(2027, 3, 1, 10) : submitted + Int64(next(15) + 1) * day
            }
            if status == 9 || status == 10, let due = seed.dueAt {
                switch next(4) {
                case 0: seed.finishedAt = due + Int64(next(5) + 1) * day  // late
                case 1: seed.finishedAt = due - 1  // the due moment's own day: on time
                case 2: seed.finishedAt = due + 1  // one millisecond late
                default: seed.finishedAt = max(submitted, due - Int64(next(10) + 1) * day)
                }
            }
            if status == 8, next(2) == 0 { seed.dueAt = nil }
            seeds.append(seed)
            _ = index
        }
        // The boundaries of 2025 in Vietnam time.
        let first = procedures[0]
        seeds.append(Seed(procedureID: first.id, agencyCode: first.agencyCode, status: 4, channel: 2, submittedAt: at(2025, 1, 1), dueAt: at(2027, 1, 5)))
        seeds.append(Seed(procedureID: first.id, agencyCode: first.agencyCode, status: 4, channel: 2, submittedAt: at(2025, 1, 1) - 1, dueAt: at(2027, 1, 5)))
        seeds.append(Seed(procedureID: first.id, agencyCode: first.agencyCode, status: 10, channel: 1, submittedAt: at(2024, 12, 20),
                          dueAt: at(2025, 1, 2, 16), finishedAt: at(2025, 1, 1)))
        seeds.append(Seed(procedureID: first.id, agencyCode: first.agencyCode, status: 9, channel: 3, submittedAt: at(2025, 12, 10),
                          dueAt: at(2025, 12, 31, 16), finishedAt: at(2026, 1, 1) - 1))
        return seeds
    }

    static func insert(_ seeds: [Seed], _ catalog: Catalog, into database: any Database) async throws {
        let agencyIDs = Dictionary(catalog.procedures.map { ($0.agencyCode, $0.agencyID) }, uniquingKeysWith: { a, _ in a })
        try await database.transaction { db in
            for seed in seeds {
                let created = seed.submittedAt ?? at(2024, 6, 1)
                try await db.raw("""
                    INSERT INTO dossiers (procedure_id, agency_id, applicant_id, status, channel, created_at, updated_at, submitted_at,
                        due_at, finished_at)
                    VALUES (\(bind: seed.procedureID), \(bind: agencyIDs[seed.agencyCode]!), \(bind: catalog.applicantID), \(bind: seed.status),
                        \(bind: seed.channel), \(bind: created), \(bind: created), \(bind: seed.submittedAt), \(bind: seed.dueAt),
                        \(bind: seed.finishedAt))
                    """).run()
            }
        }
    }

    // MARK: The test's own counting

    struct Expected: Equatable, CustomStringConvertible {
        var received = 0, online = 0, desk = 0, post = 0, waiting = 0, inProgress = 0, overdue = 0, refused = 0, withdrawn = 0
        var stopped = 0, finished = 0, resolved = 0, early = 0, onTime = 0, late = 0
        var description: String {
            "received \(received) (\(online)/\(desk)/\(post)) waiting \(waiting) open \(inProgress) overdue \(overdue) refused \(refused) "
                + "withdrawn \(withdrawn) stopped \(stopped) finished \(finished) resolved \(resolved) (\(early)/\(onTime)/\(late))"
        }

        init() {}

        init(_ counts: DossierCounts) {
            received = counts.received; online = counts.online; desk = counts.desk; post = counts.post; waiting = counts.waiting
            inProgress = counts.inProgress; overdue = counts.overdue; refused = counts.refused; withdrawn = counts.withdrawn
            stopped = counts.stopped; finished = counts.finished; resolved = counts.resolved; early = counts.early
            onTime = counts.onTime; late = counts.late
        }
    }

    static func expected(_ seeds: [Seed], from: Int64, before: Int64, now: Int64, agency: String? = nil, procedure: Int64? = nil) -> Expected {
        var e = Expected()
        for seed in seeds where (agency == nil || seed.agencyCode == agency) && (procedure == nil || seed.procedureID == procedure) {
            if let submitted = seed.submittedAt, submitted >= from, submitted < before, seed.status != 0 {
                e.received += 1
                if seed.channel == 2 { e.online += 1 } else if seed.channel == 1 { e.desk += 1 } else { e.post += 1 }
                switch seed.status {
                case 1: e.waiting += 1
                case 2, 4, 5, 6:
                    e.inProgress += 1
                    if seed.status != 5, let due = seed.dueAt, due < now { e.overdue += 1 }
                case 3: e.refused += 1
                case 7: e.withdrawn += 1
                case 8: e.stopped += 1
                default: e.finished += 1
                }
            }
            if let finished = seed.finishedAt, finished >= from, finished < before {
                e.resolved += 1
                guard let due = seed.dueAt else { e.onTime += 1; continue }
                let f = vietnamDay(finished), d = vietnamDay(due)
                if finished > due {
                    e.late += 1
                } else if (f.year!, f.month!, f.day!) < (d.year!, d.month!, d.day!) {
                    e.early += 1
                } else {
                    e.onTime += 1
                }
            }
        }
        return e
    }

    static func report(_ browser: BrowserClient, _ uri: String) async throws -> StatisticsReport {
        let response = try await browser.get(uri)
        #expect(response.status == .ok, "\(uri): \(response.text)")
        return try response.json(StatisticsReport.self)
    }

    // MARK: Tests

    @Test("The API's figures for a year, a quarter, a month and a range, whole and per agency, match the seed's own count")
    func apiFigures() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let catalog = try await Self.catalog(database)
            let seeds = Self.history(catalog)
            try await Self.insert(seeds, catalog, into: database)
            let now = Clock.nowMilliseconds()
            let agency = catalog.procedures[0].agencyCode

            let year = try await Self.report(browser, "/api/v1/statistics?year=2025")
            #expect(year.period.label == "năm 2025" && year.previousPeriod.label == "năm 2024")
            #expect(Expected(year.current) == Self.expected(seeds, from: Self.at(2025, 1, 1), before: Self.at(2026, 1, 1), now: now))
            #expect(Expected(year.previous) == Self.expected(seeds, from: Self.at(2024, 1, 1), before: Self.at(2025, 1, 1), now: now))
            #expect(year.current.received > 100 && year.current.early > 0 && year.current.onTime > 0 && year.current.late > 0
                    && year.current.overdue > 0 && year.current.inProgress > year.current.overdue)

            // Per procedure: received and resolved in both periods, for every procedure that has any.
            for row in year.byProcedure {
                let id = try #require(catalog.procedures.first { $0.agencyCode == row.agencyCode && $0.code == row.code }?.id)
                let current = Self.expected(seeds, from: Self.at(2025, 1, 1), before: Self.at(2026, 1, 1), now: now, procedure: id)
                let previous = Self.expected(seeds, from: Self.at(2024, 1, 1), before: Self.at(2025, 1, 1), now: now, procedure: id)
                let shown: [Int] = [row.received, row.online, row.resolved, row.earlyOrOnTime, row.previousReceived, row.previousResolved]
                let counted: [Int] = [current.received, current.online, current.resolved, current.early + current.onTime, previous.received,
                                      previous.resolved]
                #expect(shown == counted, "\(row.code)")
            }
            #expect(year.byProcedure.count == catalog.procedures.count)
            #expect(year.byProcedure.map(\.received).reduce(0, +) == year.current.received)

            // Indicators: progress and online share from the counts; what the portal does not record says so.
            let byCode = Dictionary(uniqueKeysWithValues: year.indicators.map { ($0.code, $0) })
            let e = Self.expected(seeds, from: Self.at(2025, 1, 1), before: Self.at(2026, 1, 1), now: now)
            let progress = try #require(byCode["resolved-in-time"])
            #expect(progress.numerator == e.early + e.onTime && progress.denominator == e.resolved)
            #expect(progress.percent == (Double(e.early + e.onTime) * 1000 / Double(e.resolved)).rounded() / 10)
            let online = try #require(byCode["online-dossiers"])
            #expect(online.numerator == e.online && online.denominator == e.received)
            // No ratings were given in the seed: recorded, nothing to measure.
            let satisfaction = try #require(byCode["satisfaction"])
            #expect(satisfaction.recorded && satisfaction.denominator == 0 && satisfaction.percent == nil)
            // No fee was charged in the seed: recorded, nothing to measure (PaymentFlowTests counts real payments).
            let paidOnline = try #require(byCode["paid-online"])
            #expect(paidOnline.recorded && paidOnline.denominator == 0 && paidOnline.percent == nil)
            for code in ["digitized", "published-procedures"] {
                let indicator = try #require(byCode[code])
                #expect(!indicator.recorded && indicator.numerator == nil && indicator.denominator == nil && indicator.percent == nil)
            }
            let levels = try await database.read { db in
                try await db.raw("SELECT online_level, COUNT(*) AS n FROM procedures GROUP BY online_level").all()
                    .map { (try $0.decode(column: "online_level", as: String.self), try $0.decode(column: "n", as: Int.self)) }
            }
            let full = levels.first { $0.0 == "full" }?.1 ?? 0, all = levels.map(\.1).reduce(0, +)
            #expect(year.procedures == .init(total: all, fullOnline: full, partialOnline: all - full))
            #expect(byCode["full-online-procedures"]?.numerator == full && byCode["full-online-procedures"]?.denominator == all)

            // One agency, a quarter (previous: the last quarter of 2024) and a month (previous: December 2024).
            let quarter = try await Self.report(browser, "/api/v1/statistics/\(agency)?year=2025&quarter=1")
            #expect(quarter.scope.agencyCode == agency && quarter.previousPeriod.key == "2024-Q4")
            #expect(Expected(quarter.current) == Self.expected(seeds, from: Self.at(2025, 1, 1), before: Self.at(2025, 4, 1), now: now, agency: agency))
            #expect(Expected(quarter.previous) == Self.expected(seeds, from: Self.at(2024, 10, 1), before: Self.at(2025, 1, 1), now: now, agency: agency))
            #expect(quarter.byProcedure.allSatisfy { $0.agencyCode == agency })
            let month = try await Self.report(browser, "/api/v1/statistics/\(agency)?year=2025&month=1")
            #expect(month.previousPeriod.key == "2024-12")
            #expect(Expected(month.current) == Self.expected(seeds, from: Self.at(2025, 1, 1), before: Self.at(2025, 2, 1), now: now, agency: agency))
            #expect(Expected(month.previous) == Self.expected(seeds, from: Self.at(2024, 12, 1), before: Self.at(2025, 1, 1), now: now, agency: agency))

            // Later writes keep the day counters in step (triggers, M0020): results, refusals, a moved appointment, deletions.
            let ids = try await database.read { db in
                try await db.raw("SELECT id FROM dossiers ORDER BY id").all().map { try $0.decode(column: "id", as: Int64.self) }
            }
            try #require(ids.count == seeds.count)
            // The plan first (nil: deleted), then the writes.
            let plan: [(Int64, Seed?)] = zip(ids, seeds).enumerated().map { index, pair in
                var seed = pair.1
                if index % 11 == 0 { return (pair.0, nil) }
                if index % 7 == 0, [2, 4, 5, 6].contains(seed.status), let submitted = seed.submittedAt {
                    seed.status = 10
                    seed.finishedAt = submitted + 3 * 86_400_000
                    seed.dueAt = seed.dueAt ?? submitted + 5 * 86_400_000
                } else if index % 5 == 0, seed.status == 1 {
                    seed.status = 3
                } else if index % 3 == 0, [2, 4, 6].contains(seed.status), seed.dueAt != nil {
                    seed.dueAt = Self.at(2030, 1, 1)
                } else if index % 2 == 0, seed.status == 9 {
                    seed.status = 10
                }
                return (pair.0, seed)
            }
            let mutated = plan.compactMap(\.1)
            try await database.transaction { db in
                for (id, seed) in plan {
                    guard let seed else {
                        try await db.raw("DELETE FROM dossiers WHERE id = \(bind: id)").run()
                        continue
                    }
                    try await db.raw("""
                        UPDATE dossiers SET status = \(bind: seed.status), due_at = \(bind: seed.dueAt), finished_at = \(bind: seed.finishedAt)
                        WHERE id = \(bind: id)
                        """).run()
                }
            }
            let after = try await Self.report(browser, "/api/v1/statistics?from=2025-01-01&to=2025-12-31")
            #expect(Expected(after.current) == Self.expected(mutated, from: Self.at(2025, 1, 1), before: Self.at(2026, 1, 1), now: now))
            #expect(Expected(after.previous) == Self.expected(mutated, from: Self.at(2024, 1, 2), before: Self.at(2025, 1, 1), now: now))
            #expect(Expected(after.current) != Expected(year.current))
            let counters = try await database.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM dossier_day_counts WHERE online < 0 OR desk < 0 OR waiting < 0 OR late < 0").first()?
                    .decode(column: "n", as: Int.self)
            }
            #expect(counters == 0)

            // A range of exactly five years is allowed; the period before it has as many days (1 826: 2016 is a leap year).
            let range = try await Self.report(browser, "/api/v1/statistics?from=2021-01-01&to=2025-12-31")
            #expect(range.previousPeriod.from == "2016-01-02" && range.previousPeriod.to == "2020-12-31")
            #expect(Expected(range.current) == Self.expected(mutated, from: Self.at(2021, 1, 1), before: Self.at(2026, 1, 1), now: now))
            let short = try await Self.report(browser, "/api/v1/statistics?from=2025-03-10&to=2025-03-16")
            #expect(short.previousPeriod.from == "2025-03-03" && short.previousPeriod.to == "2025-03-09")
            #expect(Expected(short.current) == Self.expected(mutated, from: Self.at(2025, 3, 10), before: Self.at(2025, 3, 17), now: now))
        }
    }

    @Test("The page shows the figures beside an accessible chart, per procedure and the indicators; the CSV tables match")
    func pageAndCSV() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let catalog = try await Self.catalog(database)
            let seeds = Self.history(catalog)
            try await Self.insert(seeds, catalog, into: database)
            let now = Clock.nowMilliseconds()
            let e = Self.expected(seeds, from: Self.at(2025, 1, 1), before: Self.at(2026, 1, 1), now: now)
            let p = Self.expected(seeds, from: Self.at(2024, 1, 1), before: Self.at(2025, 1, 1), now: now)

            let response = try await browser.get("/thong-ke?nam=2025")
            #expect(response.status == .ok)
            let page = response.text
            #expect(page.contains("\(StatisticsFigures.number(e.online)) hồ sơ trực tuyến năm 2025, năm 2024: \(StatisticsFigures.number(p.online))"))
            #expect(page.contains("<th scope=\"row\">Tiếp nhận trực tuyến</th><td>\(e.online)</td><td>\(p.online)</td>"))
            #expect(page.contains("<th scope=\"row\">Giải quyết trễ hạn</th><td>\(e.late)</td><td>\(p.late)</td>"))
            #expect(page.contains("<th scope=\"row\">Trong đó quá hạn</th><td>\(e.overdue)</td>"))
            #expect(page.contains("role=\"img\"") && page.contains("<title id=\"bieu-do-tieu-de\">Hồ sơ năm 2025 so với năm 2024</title>"))
            #expect(page.contains("Cổng chưa ghi nhận dữ liệu cho chỉ số này"))
            #expect(page.contains("href=\"/thong-ke\" aria-current=\"page\""))
            #expect(!page.contains("<script"))

            // The summary CSV says what the table says.
            let csv = try await browser.get("/thong-ke?nam=2025&dinh-dang=csv&bang=tong-hop")
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            let lines = csv.text.components(separatedBy: "\r\n")
            #expect(lines[0] == "\u{FEFF}\"Chỉ tiêu\",\"Năm 2025\",\"Năm 2024\"")
            #expect(lines.contains("\"Hồ sơ tiếp nhận\",\"\(e.received)\",\"\(p.received)\""))
            #expect(lines.contains("\"Giải quyết trước hạn\",\"\(e.early)\",\"\(p.early)\""))
            #expect(lines.contains("\"Rút hồ sơ\",\"\(e.withdrawn)\",\"\(p.withdrawn)\""))
            let procedures = try await browser.get("/thong-ke?nam=2025&dinh-dang=csv&bang=thu-tuc")
            #expect(procedures.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == catalog.procedures.count + 1)
            let indicators = try await browser.get("/thong-ke?nam=2025&dinh-dang=csv&bang=chi-so").text
            #expect(indicators.contains("\"\(e.early + e.onTime)\",\"\(e.resolved)\""))
            #expect(try await browser.get("/thong-ke?nam=2025&dinh-dang=csv&bang=khac").status == .badRequest)

            // An agency's page, and the agency links on the whole page.
            let agency = catalog.procedures[0].agencyCode
            #expect(page.contains("href=\"/thong-ke/\(agency)\""))
            let agencyPage = try await browser.get("/thong-ke/\(agency)?nam=2025&quy=1")
            #expect(agencyPage.status == .ok)
            let q = Self.expected(seeds, from: Self.at(2025, 1, 1), before: Self.at(2025, 4, 1), now: now, agency: agency)
            let q0 = Self.expected(seeds, from: Self.at(2024, 10, 1), before: Self.at(2025, 1, 1), now: now, agency: agency)
            #expect(agencyPage.text.contains("<th scope=\"row\">Hồ sơ tiếp nhận</th><td>\(q.received)</td><td>\(q0.received)</td>"))
            #expect(agencyPage.text.contains("quý 1 năm 2025"))
            // Linked from every page.
            #expect(try await browser.get("/").text.contains("<a href=\"/thong-ke\""))
        }
    }

    @Test("An unknown agency, a malformed period, a period in the future or a range over five years: a clear answer")
    func badInput() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, _ in
            let unknown = try await browser.get("/api/v1/statistics/000.00.99.Z99?year=2025")
            #expect(unknown.status == .notFound && unknown.headers[.contentType] == "application/problem+json")
            #expect(try unknown.json(ProblemDetails.self).detail == "Không có cơ quan có mã này trên Cổng.")
            #expect(try await browser.get("/api/v1/statistics/khong-phai-ma").status == .notFound)
            let cases: [(String, HTTPResponse.Status, String, String)] = [
                ("year=20x5", .badRequest, "year", "Năm phải là số có bốn chữ số, ví dụ 2025."),
                ("year=1999", .badRequest, "year", "Cổng chỉ có số liệu từ năm 2000."),
                ("year=2025&quarter=5", .badRequest, "quarter", "Quý phải là 1, 2, 3 hoặc 4."),
                ("year=2025&month=13", .badRequest, "month", "Tháng phải từ 1 đến 12."),
                ("year=2025&quarter=1&month=2", .badRequest, "month", "Chọn hoặc một quý, hoặc một tháng, không chọn cả hai."),
                ("from=2025-02-30&to=2025-03-01", .badRequest, "from", "Ngày bắt đầu phải có dạng năm-tháng-ngày (YYYY-MM-DD)."),
                ("from=2025-03-01", .badRequest, "to", "Ngày kết thúc phải có dạng năm-tháng-ngày (YYYY-MM-DD)."),
                ("from=2025-03-01&to=2025-02-01", .badRequest, "to", "Ngày kết thúc phải từ ngày bắt đầu trở đi."),
                ("year=2025&from=2025-01-01&to=2025-02-01", .badRequest, "from", "Chọn hoặc một năm (quý, tháng), hoặc một khoảng ngày, không chọn cả hai."),
                ("year=2099", .unprocessableContent, "year", "Kỳ năm 2099 chưa bắt đầu: chưa có số liệu."),
                ("from=2099-01-01&to=2099-02-01", .unprocessableContent, "from", "Khoảng thời gian chưa bắt đầu: chưa có số liệu."),
                ("from=2020-01-01&to=2025-01-01", .unprocessableContent, "to", "Khoảng thời gian dài nhất là 5 năm."),
            ]
            for (query, status, parameter, message) in cases {
                let response = try await browser.get("/api/v1/statistics?\(query)")
                #expect(response.status == status, "\(query)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(query)")
                let problem = try response.json(ProblemDetails.self)
                #expect(problem.detail == message && problem.errors == [.init(name: parameter, reason: message)], "\(query)")
            }
            // The page says the same in Vietnamese beside its form, with the same status.
            let page = try await browser.get("/thong-ke?nam=2099")
            #expect(page.status == .unprocessableContent && page.text.contains("Kỳ năm 2099 chưa bắt đầu: chưa có số liệu."))
            let malformed = try await browser.get("/thong-ke?nam=2025&quy=9")
            #expect(malformed.status == .badRequest && malformed.text.contains("Quý phải là 1, 2, 3 hoặc 4."))
            let unknownPage = try await browser.get("/thong-ke/000.00.99.Z99")
            #expect(unknownPage.status == .notFound && unknownPage.text.contains("Không có cơ quan này trên Cổng."))
            #expect(try await browser.get("/thong-ke?nam=2099&dinh-dang=csv&bang=tong-hop").status == .unprocessableContent)
        }
    }

    @Test("Periods: previous periods, labels and the five-year limit, as pure values")
    func periods() throws {
        let names: StatisticsService.ParameterNames = ("y", "q", "m", "f", "t")
        let today = CivilDate(2026, 3, 15)
        func period(_ input: StatisticsPeriodInput) -> StatisticsPeriod? { try? input.period(today: today, names: names).get() }
        #expect(period(.init())?.key == "2026")
        #expect(period(.init(year: "2026", quarter: "1"))?.previous.key == "2025-Q4")
        #expect(period(.init(year: "2026", quarter: "2")) == nil)  // not started yet
        #expect(period(.init(year: "2026", month: "3"))?.last == CivilDate(2026, 3, 31))
        #expect(period(.init(year: "2024", month: "2"))?.last == CivilDate(2024, 2, 29))
        #expect(period(.init(year: "2026", month: "1"))?.previous.label == "tháng 12/2025")
        #expect(period(.init(from: "2024-02-29", to: "2029-02-28"))?.kind == .range)  // five years from 29 February
        #expect(period(.init(from: "2026-03-16", to: "2026-03-20")) == nil)  // starts tomorrow
        #expect(period(.init(from: "2021-03-01", to: "2026-02-28"))?.kind == .range)
        #expect(period(.init(from: "2021-03-01", to: "2026-03-01")) == nil)
        #expect(StatisticsPeriod.year(2025).start == Self.at(2025, 1, 1) && StatisticsPeriod.year(2025).end == Self.at(2026, 1, 1))
    }
}
