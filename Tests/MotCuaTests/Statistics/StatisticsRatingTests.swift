import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// Satisfaction ratings: once per dossier after the result is returned, read and answered by the agency's
/// staff, counted in the satisfaction indicator. Part of the statistics suites (`--filter Statistics`).
@Suite("Statistics: satisfaction ratings")
struct StatisticsRatingTests {
    static let password = "Mot-cua-2026-an-toan"
    static let agency = "000.00.08.H06"

    static func staff(_ database: any Database, _ email: String, agency: String) async throws {
        let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                      publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
        _ = try await accounts.createStaff(email: email, name: "Cán bộ", role: .processor, agencyCode: agency, password: password)
    }

    /// A dossier of the applicant in `status`, inserted as the workflow would have left it.
    static func dossier(_ database: any Database, applicant email: String, status: DossierStatus, number: Int) async throws -> Int64 {
        let now = Clock.nowMilliseconds()
        return try await database.transaction { db in
            try await db.raw("""
                INSERT INTO dossiers (code, procedure_id, agency_id, applicant_id, status, channel, created_at, updated_at, submitted_at,
                    accepted_at, due_at, finished_at, returned_at, applicant_name)
                SELECT \(bind: "\(agency)-260101-000\(number)"), p.id, p.agency_id, u.id, \(bind: status.rawValue), 2, \(bind: now - 9_000_000),
                    \(bind: now), \(bind: now - 9_000_000), \(bind: now - 8_000_000), \(bind: now + 86_400_000),
                    \(bind: status == .returned ? now - 60_000 : nil), \(bind: status == .returned ? now - 30_000 : nil), u.display_name
                FROM procedures p JOIN agencies a ON a.id = p.agency_id, users u
                WHERE a.code = \(bind: agency) AND p.code = '1.005384' AND u.email = \(bind: email)
                """).run()
            return try #require(try await db.raw("SELECT MAX(id) AS id FROM dossiers").first()).decode(column: "id", as: Int64.self)
        }
    }

    static func ratingCount(_ database: any Database) async throws -> Int {
        try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM dossier_ratings").first()!.decode(column: "n", as: Int.self) }
    }

    static func signIn(_ browser: BrowserClient, _ email: String, _ password: String) async throws {
        try await browser.post("/dang-xuat", [:])
        #expect(try await browser.post("/dang-nhap", ["email": email, "password": password]).status == .seeOther, "sign in \(email)")
    }

    @Test("The applicant rates a returned dossier once; bad answers, a second rating and a rating before the result are refused, nothing saved")
    func rateOnce() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            let email = "an.nguyen@example.vn"
            try await Citizen.registerAndSignIn(browser, mail: mail, email: email)
            let returned = try await Self.dossier(database, applicant: email, status: .returned, number: 1)
            let open = try await Self.dossier(database, applicant: email, status: .processing, number: 2)
            let second = try await Self.dossier(database, applicant: email, status: .returned, number: 3)

            let page = try await browser.get("/ho-so/\(returned)")
            #expect(page.status == .ok && page.text.contains("Đánh giá mức độ hài lòng") && page.text.contains("action=\"/ho-so/\(returned)/danh-gia\""))
            #expect(!(try await browser.get("/ho-so/\(open)").text.contains("/danh-gia\"")))

            // Out of range, missing, and a comment over 2 000 characters: one answer naming each, nothing saved.
            let bad = try await browser.post("/ho-so/\(returned)/danh-gia", [
                "information": "6", "attitude": "4", "timeliness": "", "outcome": "5", "comment": String(repeating: "ý", count: 2001),
            ])
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("Hãy chọn mức từ 1 đến 5 cho câu &quot;Việc tiếp cận thông tin, hướng dẫn về thủ tục hành chính&quot;."))
            #expect(bad.text.contains("Hãy chọn mức từ 1 đến 5 cho câu &quot;Thời gian giải quyết so với ngày hẹn trả kết quả&quot;."))
            #expect(bad.text.contains("Ý kiến dài tối đa 2000 ký tự (hiện có 2001)."))
            #expect(bad.text.contains("id=\"attitude-4\" name=\"attitude\" value=\"4\" required checked"))
            #expect(try await Self.ratingCount(database) == 0)

            // Before the result: refused.
            let early = try await browser.post("/ho-so/\(open)/danh-gia", ["information": "5", "attitude": "5", "timeliness": "5", "outcome": "5"])
            #expect(early.status == .conflict && early.text.contains("Chỉ đánh giá được sau khi đã nhận kết quả giải quyết hồ sơ."))
            #expect(try await Self.ratingCount(database) == 0)

            let comment = String(repeating: "Cán bộ hướng dẫn tận tình. ", count: 70).prefix(2000)
            let rated = try await browser.post("/ho-so/\(returned)/danh-gia", [
                "information": "5", "attitude": "5", "timeliness": "4", "outcome": "4", "comment": String(comment),
            ])
            #expect(rated.status == .seeOther && rated.headers[.location] == "/ho-so/\(returned)?thong-bao=da-danh-gia")
            let shown = try await browser.get("/ho-so/\(returned)?thong-bao=da-danh-gia").text
            #expect(shown.contains("Cảm ơn bạn đã đánh giá mức độ hài lòng.") && shown.contains("Bạn đã đánh giá lúc"))
            #expect(shown.contains("<dd>4 – Hài lòng</dd>") && !shown.contains("action=\"/ho-so/\(returned)/danh-gia\""))

            // Once per dossier.
            let again = try await browser.post("/ho-so/\(returned)/danh-gia", ["information": "1", "attitude": "1", "timeliness": "1", "outcome": "1"])
            #expect(again.status == .conflict && again.text.contains("Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ được đánh giá một lần."))
            #expect(try await Self.ratingCount(database) == 1)
            #expect(try await browser.post("/ho-so/\(second)/danh-gia", [
                "information": "1", "attitude": "2", "timeliness": "3", "outcome": "4", "comment": "Phải đi lại nhiều lần.",
            ]).status == .seeOther)

            // Someone else's dossier is not found.
            try await Self.staff(database, "cv.bk@example.vn", agency: Self.agency)
            try await Self.staff(database, "cv.sl@example.vn", agency: "000.00.07.H52")
            try await Self.signIn(browser, "cv.sl@example.vn", StatisticsRatingTests.password)
            #expect(try await browser.post("/ho-so/\(second)/danh-gia", ["information": "5", "attitude": "5", "timeliness": "5", "outcome": "5"])
                .status == .notFound)

            // Staff of another agency see none of these ratings and cannot answer them.
            #expect(try await browser.get("/mot-cua/danh-gia").text.contains("Chưa có đánh giá nào."))
            #expect(try await browser.post("/mot-cua/danh-gia/\(returned)/tra-loi", ["reply": "Xin cảm ơn."]).status == .notFound)

            // The agency's staff read and answer.
            try await Self.signIn(browser, "cv.bk@example.vn", StatisticsRatingTests.password)
            let list = try await browser.get("/mot-cua/danh-gia")
            #expect(list.status == .ok && list.text.contains("Phải đi lại nhiều lần.") && list.text.contains("2 đánh giá gần nhất, 1 hài lòng"))
            let empty = try await browser.post("/mot-cua/danh-gia/\(second)/tra-loi", ["reply": "   "])
            #expect(empty.status == .badRequest && empty.text.contains("Hãy nhập nội dung trả lời."))
            #expect(try await browser.post("/mot-cua/danh-gia/\(second)/tra-loi", ["reply": "Sở xin tiếp thu và sẽ rút ngắn thời gian."])
                .status == .seeOther)

            // The applicant sees the answer.
            try await Self.signIn(browser, email, Citizen.password)
            #expect(try await browser.get("/ho-so/\(second)").text.contains("Sở xin tiếp thu và sẽ rút ngắn thời gian."))

            // The satisfaction indicator of the agency this year: 1 satisfied of 2.
            let year = String(OfficeHours.civilDate(of: Clock.nowMilliseconds()).year)
            let report = try await browser.get("/api/v1/statistics/\(Self.agency)?year=\(year)").json(StatisticsReport.self)
            let satisfaction = try #require(report.indicators.first { $0.code == "satisfaction" })
            #expect(satisfaction.recorded && satisfaction.numerator == 1 && satisfaction.denominator == 2 && satisfaction.percent == 50)
            #expect(report.current.ratings == 2 && report.current.satisfied == 1)
            let other = try await browser.get("/api/v1/statistics/000.00.07.H52?year=\(year)").json(StatisticsReport.self)
            #expect(other.current.ratings == 0 && other.indicators.first { $0.code == "satisfaction" }?.percent == nil)
        }
    }
}
