import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// The staff reports (per officer, per procedure, overdue list) over a seeded March 2025 whose figures the
/// test counts on its own from its seed, on the page, in the CSV and in the XLSX; who may read which; and
/// bad periods and formats. Runs on SQLite, and on PostgreSQL when DATABASE_URL is set.
@Suite("Staff reports")
struct StaffReportTests {
    static let password = "Mot-cua-2026-an-toan"
    static let agency = "000.00.08.H06"
    static let otherAgency = "000.00.07.H52"
    static let procedure = "1.005384"
    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Int64 {
        StatisticsTests.at(year, month, day, hour, minute)
    }

    static let march = (from: at(2025, 3, 1), before: at(2025, 4, 1))
    static let query = "tu-ngay=2025-03-01&den-ngay=2025-03-31"

    struct Handover { var person: String; var receivedAt: Int64; var finishedAt: Int64?; var outcome: String? }

    struct SeedDossier {
        var code: String
        var agency = StaffReportTests.agency
        var status: DossierStatus
        var channel = 2
        var submittedAt: Int64
        var dueAt: Int64?
        var finishedAt: Int64? = nil
        var holder: String? = nil
        var stepDueAt: Int64? = nil
        var paused = false
        var apologies = 0
    }

    static func people(_ database: any Database) async throws -> [String: Int64] {
        let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                      publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
        var ids: [String: Int64] = [:]
        let staff: [(String, StaffRole, String, String?)] = [
            ("tn", .receptionist, agency, ProcessStep.receptionUnit), ("cv1", .processor, agency, "Phòng Công chức, viên chức"),
            ("cv2", .processor, agency, "Phòng Công chức, viên chức"), ("ld", .leader, agency, ProcessStep.leadershipUnit),
            ("qt", .agencyAdmin, agency, nil), ("cvx", .processor, otherAgency, nil), ("ldx", .leader, otherAgency, nil),
        ]
        for (name, role, agencyCode, unit) in staff {
            ids[name] = try await accounts.createStaff(email: "\(name)@example.vn", name: "Cán bộ \(name)", role: role, agencyCode: agencyCode,
                                                       password: password, unitName: unit).0.id
        }
        return ids
    }

    static let now = Clock.nowMilliseconds()
    static let hour: Int64 = 3_600_000

    static let handovers: [Handover] = [
        Handover(person: "cv1", receivedAt: at(2025, 3, 3, 8), finishedAt: at(2025, 3, 4, 9), outcome: "early"),
        Handover(person: "cv1", receivedAt: at(2025, 3, 5, 8), finishedAt: at(2025, 3, 6, 15), outcome: "on_time"),
        Handover(person: "cv1", receivedAt: at(2025, 2, 27, 8), finishedAt: at(2025, 3, 2, 9), outcome: "late"),
        Handover(person: "cv1", receivedAt: at(2025, 3, 30, 8), finishedAt: at(2025, 4, 2, 9), outcome: "early"),
        Handover(person: "cv1", receivedAt: at(2025, 3, 10, 8), finishedAt: nil, outcome: nil),
        Handover(person: "cv2", receivedAt: at(2025, 3, 12, 8), finishedAt: at(2025, 3, 20, 9), outcome: "late"),
        Handover(person: "cv2", receivedAt: at(2025, 4, 1) - 1, finishedAt: at(2025, 4, 1), outcome: "on_time"),
        Handover(person: "cvx", receivedAt: at(2025, 3, 5, 8), finishedAt: at(2025, 3, 6, 9), outcome: "early"),
    ]

    static let dossiers: [SeedDossier] = [
        // The overdue list: open past its appointment, resolved late; and those that are not on it.
        SeedDossier(code: "\(agency)-250303-0001", status: .processing, submittedAt: at(2025, 3, 3, 9), dueAt: at(2025, 3, 10, 10),
                    holder: "cv2", stepDueAt: at(2025, 3, 10, 10), apologies: 1),
        SeedDossier(code: "\(agency)-250303-0002", status: .returned, channel: 1, submittedAt: at(2025, 3, 3, 10), dueAt: at(2025, 3, 10, 16),
                    finishedAt: at(2025, 3, 12, 16)),
        SeedDossier(code: "\(agency)-250304-0001", status: .returned, channel: 3, submittedAt: at(2025, 3, 4, 9), dueAt: at(2025, 3, 14, 16),
                    finishedAt: at(2025, 3, 13, 9)),
        SeedDossier(code: "\(agency)-250305-0001", status: .supplementRequested, submittedAt: at(2025, 3, 5, 9), dueAt: at(2025, 3, 11, 16),
                    holder: "cv1", stepDueAt: now - hour, paused: true),
        SeedDossier(code: "\(agency)-250210-0001", status: .processing, submittedAt: at(2025, 2, 10, 9), dueAt: at(2025, 2, 20, 16)),
        SeedDossier(code: "\(otherAgency)-250305-0001", agency: otherAgency, status: .processing, submittedAt: at(2025, 3, 5, 9),
                    dueAt: at(2025, 3, 12, 16)),
        SeedDossier(code: "\(agency)-250306-0001", status: .stopped, channel: 1, submittedAt: at(2025, 3, 6, 9), dueAt: at(2025, 3, 15, 16)),
        // What the processors hold now.
        SeedDossier(code: "\(agency)-250110-0001", status: .processing, submittedAt: at(2025, 1, 10, 9), dueAt: now + 240 * hour,
                    holder: "cv1", stepDueAt: now - hour),
        SeedDossier(code: "\(agency)-250110-0002", status: .processing, submittedAt: at(2025, 1, 10, 10), dueAt: now + 240 * hour,
                    holder: "cv1", stepDueAt: now + 24 * hour),
        SeedDossier(code: "\(agency)-250110-0003", status: .returned, submittedAt: at(2025, 1, 10, 11), dueAt: at(2025, 1, 30, 16),
                    finishedAt: at(2025, 1, 20, 9), holder: "cv2", stepDueAt: now - hour),
    ]

    static func seed(_ database: any Database, _ ids: [String: Int64]) async throws {
        try await database.transaction { db in
            var firstDossier: Int64?
            for d in dossiers {
                let openStatuses: Set<DossierStatus> = [.accepted, .processing, .supplementRequested, .feeRequested]
                try await db.raw("""
                    INSERT INTO dossiers (code, procedure_id, agency_id, applicant_id, status, channel, created_at, updated_at, submitted_at,
                        accepted_at, due_at, finished_at, applicant_name, holder_user_id, step_due_at, step_name, paused_at)
                    SELECT \(bind: d.code), p.id, p.agency_id, \(bind: ids["ld"]!), \(bind: d.status.rawValue), \(bind: d.channel),
                        \(bind: d.submittedAt), \(bind: d.submittedAt), \(bind: d.submittedAt), \(bind: d.submittedAt), \(bind: d.dueAt),
                        \(bind: d.finishedAt), \(bind: "Nguyễn Văn \(d.code.suffix(4))"), \(bind: d.holder.map { ids[$0]! }),
                        \(bind: d.stepDueAt), \(bind: openStatuses.contains(d.status) ? "Thẩm định hồ sơ" : nil),
                        \(bind: d.paused ? now - 2 * hour : nil)
                    FROM procedures p JOIN agencies a ON a.id = p.agency_id WHERE a.code = \(bind: d.agency)
                    ORDER BY CASE WHEN p.code = \(bind: procedure) THEN 0 ELSE 1 END, p.id LIMIT 1
                    """).run()
                let id = try #require(try await db.raw("SELECT id FROM dossiers WHERE code = \(bind: d.code)").first()).decode(column: "id", as: Int64.self)
                firstDossier = firstDossier ?? id
                for _ in 0..<d.apologies {
                    try await db.raw("""
                        INSERT INTO dossier_apologies (dossier_id, at, by_user_id, reason, previous_due_at, new_due_at)
                        VALUES (\(bind: id), \(bind: at(2025, 3, 9)), \(bind: ids["tn"]!), 'Chờ ý kiến cơ quan khác', \(bind: at(2025, 3, 7)),
                            \(bind: d.dueAt!))
                        """).run()
                }
            }
            for (index, h) in handovers.enumerated() {
                try await db.raw("""
                    INSERT INTO dossier_handovers (dossier_id, step_position, step_name, received_by, received_at, due_at, finished_at, outcome)
                    VALUES (\(bind: firstDossier!), \(bind: index + 1), 'Thẩm định hồ sơ', \(bind: ids[h.person]!), \(bind: h.receivedAt),
                        \(bind: h.receivedAt + 8 * hour), \(bind: h.finishedAt), \(bind: h.outcome))
                    """).run()
            }
        }
    }

    static func signIn(_ browser: BrowserClient, _ name: String) async throws {
        try await browser.post("/dang-xuat", [:])
        #expect(try await browser.post("/dang-nhap", ["email": "\(name)@example.vn", "password": password]).status == .seeOther, "sign in \(name)")
    }

    /// The CSV as rows of fields (the writer quotes every field; no field here holds a quote or a line break).
    static func csvRows(_ response: TestResponse) -> [[String]] {
        var text = response.text
        #expect(text.hasPrefix("\u{FEFF}"), "a BOM, for Excel")
        text.removeFirst()
        return text.split(separator: "\r\n").map { line in
            line.dropFirst().dropLast().components(separatedBy: "\",\"").map { $0.hasPrefix("'") ? String($0.dropFirst()) : $0 }
        }
    }

    // MARK: The test's own counting

    static func expectedOfficer(_ person: String, _ ids: [String: Int64]) -> [String] {
        let mine = handovers.filter { $0.person == person }
        let received = mine.count { $0.receivedAt >= march.from && $0.receivedAt < march.before }
        let done = mine.filter { ($0.finishedAt ?? .max) >= march.from && ($0.finishedAt ?? .max) < march.before }
        let early = done.count { $0.outcome == "early" }, onTime = done.count { $0.outcome == "on_time" }
        let late = done.count { $0.outcome == "late" }
        let open: Set<DossierStatus> = [.accepted, .processing, .supplementRequested, .feeRequested]
        let holding = dossiers.filter { $0.holder == person && open.contains($0.status) }
        let overdue = holding.count { !$0.paused && ($0.stepDueAt ?? .max) < now }
        let percent = done.isEmpty ? "" : String(format: "%.1f", Double(early + onTime) * 100 / Double(done.count)).replacingOccurrences(of: ".", with: ",")
        return [String(received), String(done.count), String(early), String(onTime), String(late), percent, String(holding.count), String(overdue)]
    }

    // MARK: Tests

    @Test("Per officer: steps received and finished in the period, early/on time/late, held now; the page, CSV and XLSX agree")
    func perOfficer() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let ids = try await Self.people(database)
            try await Self.seed(database, ids)
            try await Self.signIn(browser, "ld")
            let page = try await browser.get("/mot-cua/bao-cao?loai=can-bo&\(Self.query)")
            #expect(page.status == .ok && page.text.contains("Báo cáo theo cán bộ"))
            let csv = Self.csvRows(try await browser.get("/mot-cua/bao-cao?loai=can-bo&\(Self.query)&dinh-dang=csv"))
            #expect(csv.first == StaffReports.officerHeader)
            let byName = Dictionary(csv.dropFirst().map { ($0[1], $0) }, uniquingKeysWith: { a, _ in a })
            for person in ["tn", "cv1", "cv2", "ld"] {
                let row = try #require(byName["Cán bộ \(person)"], "a row for \(person)")
                #expect(Array(row[4...]) == Self.expectedOfficer(person, ids), "\(person)")
                #expect(page.text.contains("<td>Cán bộ \(person)</td>"))
            }
            #expect(byName["Cán bộ cv1"]?[3] == "Phòng Công chức, viên chức" && byName["Cán bộ cv1"]?[2] == "Chuyên viên xử lý")
            // cv1: 4 received in March (not the one of 27 February), 3 finished in it (early, on time, late; not the one of
            // 2 April), holds 3 of which 1 is late (the paused one is not).
            #expect(Array(byName["Cán bộ cv1"]![4...]) == ["4", "3", "1", "1", "1", "66,7", "3", "1"])
            // The agency administrator works on no dossier and has no figures: not listed. Nor is another agency's processor.
            #expect(byName["Cán bộ qt"] == nil && byName["Cán bộ cvx"] == nil && !page.text.contains("Cán bộ cvx"))
            let total = try #require(csv.last)
            #expect(total[1] == "Tổng cộng")
            for column in [4, 5, 6, 7, 8, 10, 11] {
                #expect(Int(total[column]) == csv.dropFirst().dropLast().reduce(0) { $0 + Int($1[column])! }, "column \(column)")
            }
            let xlsx = try SpreadsheetReader.rows(try await browser.get("/mot-cua/bao-cao?loai=can-bo&\(Self.query)&dinh-dang=xlsx"))
            #expect(xlsx == csv, "the XLSX holds the CSV's cells")

            // Another agency's leader sees their own people only.
            try await Self.signIn(browser, "ldx")
            let theirs = try await browser.get("/mot-cua/bao-cao?loai=can-bo&\(Self.query)&dinh-dang=csv").text
            #expect(theirs.contains("Cán bộ cvx") && !theirs.contains("Cán bộ cv1"))
            #expect(theirs.contains("\"Cán bộ cvx\",\"Chuyên viên xử lý\",\"\",\"1\",\"1\",\"1\",\"0\",\"0\",\"100,0\""))
        }
    }

    @Test("Per procedure: received by channel, in progress and overdue, resolved early/on time/late, from the statistics' counters")
    func perProcedure() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let ids = try await Self.people(database)
            try await Self.seed(database, ids)
            try await Self.signIn(browser, "tn")
            let csv = Self.csvRows(try await browser.get("/mot-cua/bao-cao?loai=thu-tuc&\(Self.query)&dinh-dang=csv"))
            #expect(csv.first == StaffReports.procedureHeader)
            let row = try #require(csv.first { $0[1] == Self.procedure })
            let ours = Self.dossiers.filter { $0.agency == Self.agency }
            let received = ours.filter { $0.submittedAt >= Self.march.from && $0.submittedAt < Self.march.before }
            let resolved = ours.filter { ($0.finishedAt ?? .max) >= Self.march.from && ($0.finishedAt ?? .max) < Self.march.before }
            let late = resolved.count { $0.finishedAt! > $0.dueAt! }
            let inProgress = received.filter { [.accepted, .processing, .supplementRequested, .feeRequested].contains($0.status) }
            let overdue = inProgress.count { $0.status != .supplementRequested && $0.dueAt! < Self.now }
            let expected = [received.count, received.count { $0.channel == 2 }, received.count { $0.channel == 1 },
                            received.count { $0.channel == 3 }, inProgress.count, overdue, resolved.count, resolved.count - late, 0, late]
            #expect(Array(row[3...12]) == expected.map(String.init))
            #expect(row[13] == "50,0" && row[16] == "1", "one of two in time; one stopped")
            #expect(Array(row[3...12]) == ["5", "2", "2", "1", "2", "1", "2", "1", "0", "1"])
            // Every procedure of the agency is listed, with zeros where nothing happened; the total adds up.
            let catalog = try await StatisticsTests.catalog(database)
            #expect(csv.count == catalog.procedures.count { $0.agencyCode == Self.agency } + 2)
            #expect(Array(try #require(csv.last)[3...12]) == Array(row[3...12]))
            let xlsx = try SpreadsheetReader.rows(try await browser.get("/mot-cua/bao-cao?loai=thu-tuc&\(Self.query)&dinh-dang=xlsx"))
            #expect(xlsx == csv)
        }
    }

    @Test("The overdue list: appointments in the period still open past them or resolved late, with lateness in working days and apologies")
    func overdueList() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let ids = try await Self.people(database)
            try await Self.seed(database, ids)
            try await Self.signIn(browser, "tn")
            let csv = Self.csvRows(try await browser.get("/mot-cua/bao-cao?loai=qua-han&\(Self.query)&dinh-dang=csv"))
            #expect(csv.first == StaffReports.overdueHeader)
            let expected = Self.dossiers.filter { d in
                guard d.agency == Self.agency, let due = d.dueAt, due >= Self.march.from, due < Self.march.before, due < Self.now else { return false }
                let open = [.accepted, .processing, .feeRequested].contains(d.status) && d.finishedAt == nil
                return open || (d.finishedAt ?? 0) > due
            }.sorted { $0.dueAt! < $1.dueAt! }
            #expect(csv.dropFirst().map { $0[1] } == expected.map(\.code))
            #expect(expected.count == 2)
            let open = try #require(csv.first { $0[1] == "\(Self.agency)-250303-0001" })
            #expect(open[8] == "Đang xử lý quá hạn" && open[9] == "Thẩm định hồ sơ" && open[10] == "Cán bộ cv2" && open[11] == "Đã gửi (1)")
            let late = try #require(csv.first { $0[1] == "\(Self.agency)-250303-0002" })
            // Due Monday 10 March 16:00, resolved Wednesday 12 March 16:00: two working days late.
            #expect(late[5] == "10/03/2025 16:00" && late[7] == "2,0" && late[8] == "Đã giải quyết trễ hạn" && late[11] == "Chưa")
            let page = try await browser.get("/mot-cua/bao-cao?loai=qua-han&\(Self.query)")
            #expect(page.status == .ok && page.text.contains("\(Self.agency)-250303-0002") && !page.text.contains("\(Self.otherAgency)-250305"))
            #expect(try SpreadsheetReader.rows(try await browser.get("/mot-cua/bao-cao?loai=qua-han&\(Self.query)&dinh-dang=xlsx")) == csv)
        }
    }

    @Test("Who reads which report; bad kinds, periods and formats get a message and no file")
    func accessAndBadInput() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            _ = try await Self.people(database)
            let allowed: [(String, [String: HTTPResponse.Status])] = [
                ("ld", ["can-bo": .ok, "thu-tuc": .ok, "qua-han": .ok]),
                ("tn", ["can-bo": .forbidden, "thu-tuc": .ok, "qua-han": .ok]),
                ("qt", ["can-bo": .ok, "thu-tuc": .ok, "qua-han": .forbidden]),
                ("cv1", ["can-bo": .forbidden, "thu-tuc": .forbidden, "qua-han": .forbidden]),
            ]
            for (person, kinds) in allowed {
                try await Self.signIn(browser, person)
                for (kind, status) in kinds {
                    let response = try await browser.get("/mot-cua/bao-cao?loai=\(kind)&dinh-dang=csv")
                    #expect(response.status == status, "\(person) \(kind)")
                    if status == .forbidden { #expect(!response.text.contains("Tổng cộng") && !response.text.contains("Mã hồ sơ")) }
                }
            }
            try await Self.signIn(browser, "ld")
            #expect(try await browser.get("/mot-cua/bao-cao").text.contains("Báo cáo theo cán bộ"))
            let cases: [(String, String)] = [
                ("loai=khac", "Loại báo cáo là can-bo"),
                ("tu-ngay=2025-03-31&den-ngay=2025-03-01", "Ngày kết thúc phải từ ngày bắt đầu trở đi."),
                ("tu-ngay=2024-01-01&den-ngay=2025-06-01", "Báo cáo xem tối đa một năm mỗi lần"),
                ("tu-ngay=2099-01-01&den-ngay=2099-01-31", "Ngày bắt đầu không được sau hôm nay."),
                ("tu-ngay=01/03/2025", "Ngày phải có dạng năm-tháng-ngày (YYYY-MM-DD)."),
                ("dinh-dang=pdf", "Định dạng tải về là csv hoặc xlsx."),
            ]
            for (query, message) in cases {
                let page = try await browser.get("/mot-cua/bao-cao?\(query)")
                #expect(page.status == .badRequest && page.text.contains(message), "\(query): \(page.status)")
                let file = try await browser.get("/mot-cua/bao-cao?\(query)&dinh-dang=csv")
                #expect(file.status == .badRequest && file.headers[.contentDisposition] == nil, "\(query) as CSV")
            }
        }
    }
}
