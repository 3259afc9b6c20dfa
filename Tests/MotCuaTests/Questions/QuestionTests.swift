import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// Questions and feedback (issue 14): anyone asks an agency about a procedure or in general, within limits per
/// address and per account; the agency's own staff answer; an answered question may be published as FAQ on the
/// procedure's page. Runs on SQLite, and on PostgreSQL when `DATABASE_URL` names a server.
@Suite("Questions and feedback")
struct QuestionTests {
    static let password = "Tiep-nhan-2026-x"
    static let agency = "000.00.08.H06"
    static let otherAgency = "000.00.07.H52"
    static let procedure = "1.005384"

    static func question(body: String = "Hồ sơ nâng bậc lương cần bản sao quyết định nào?", procedure: String = procedure,
                         agency: String = agency, email: String = "hoi@example.vn") -> [String: String] {
        ["agency": agency, "procedure": procedure, "name": "Trần Thị Bình", "email": email, "phone": "0912 345 678",
         "subject": "Giấy tờ kèm theo", "body": body]
    }

    static func count(_ database: any Database) async throws -> Int {
        try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM questions").first()!.decode(column: "n", as: Int.self) }
    }

    static func lastID(_ database: any Database) async throws -> Int64 {
        try await database.read { try await $0.raw("SELECT MAX(id) AS id FROM questions").first()!.decode(column: "id", as: Int64.self) }
    }

    static func staff(_ database: any Database, _ email: String, role: StaffRole, agency: String) async throws {
        let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                      publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
        _ = try await accounts.createStaff(email: email, name: "Cán bộ", role: role, agencyCode: agency, password: password)
    }

    static func signIn(_ browser: BrowserClient, _ email: String, _ password: String = password) async throws {
        try await browser.post("/dang-xuat", [:])
        #expect(try await browser.post("/dang-nhap", ["email": email, "password": password]).status == .seeOther, "sign in \(email)")
    }

    @Test("An anonymous visitor asks from the procedure page; a signed-in citizen's details are prefilled and the question is theirs")
    func ask() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            let procedurePage = try await browser.client.execute(uri: "/thu-tuc/\(Self.agency)/\(Self.procedure)", method: .get)
            #expect(procedurePage.text.contains("href=\"/hoi-dap?co-quan=\(Self.agency)&amp;thu-tuc=\(Self.procedure)\""))
            #expect(procedurePage.text.contains("Gửi câu hỏi về thủ tục này") && procedurePage.text.contains("Câu hỏi thường gặp"))

            // The first step (choose an agency) only reads: no cookie; the question form posts: a cookie.
            let first = try await browser.client.execute(uri: "/hoi-dap", method: .get)
            #expect(first.status == .ok && first.text.contains("<select id=\"co-quan\" name=\"co-quan\""))
            #expect(first.headers[values: .setCookie].isEmpty)
            let form = try await browser.get("/hoi-dap?co-quan=\(Self.agency)&thu-tuc=\(Self.procedure)")
            #expect(form.status == .ok && form.text.contains("action=\"/hoi-dap\" method=\"post\""))
            #expect(form.text.contains("<option value=\"\(Self.procedure)\" selected>"))
            #expect(form.headers[values: .setCookie].contains { $0.hasPrefix(CSRFMiddleware.cookieName + "=") })

            let sent = try await browser.post("/hoi-dap", Self.question())
            #expect(sent.status == .seeOther && sent.headers[.location] == "/hoi-dap/da-gui?co-quan=\(Self.agency)&thu-tuc=\(Self.procedure)")
            let thanks = try await browser.get(try #require(sent.headers[.location]))
            #expect(thanks.status == .ok && thanks.text.contains("Cảm ơn bạn đã gửi câu hỏi."))
            let row = try #require(try await database.read { db in
                try await db.raw("""
                    SELECT q.asker_name, q.asker_email, q.asker_id, q.client_hash, q.status, q.body, p.code FROM questions q
                    JOIN procedures p ON p.id = q.procedure_id
                    """).first()
            })
            #expect(try row.decode(column: "asker_name", as: String.self) == "Trần Thị Bình")
            #expect(try row.decode(column: "asker_id", as: Int64?.self) == nil)
            #expect(try row.decode(column: "code", as: String.self) == Self.procedure)
            #expect(try row.decode(column: "status", as: Int.self) == 0)
            #expect(try row.decode(column: "client_hash", as: String.self).count == 64)

            // A general question to the agency, without a procedure.
            var general = Self.question(procedure: "")
            general["email"] = ""
            #expect(try await browser.post("/hoi-dap", general).headers[.location] == "/hoi-dap/da-gui")

            // Signed in: the form carries the account's name and address, and the question is the account's.
            try await Citizen.registerAndSignIn(browser, mail: mail)
            let mine = try await browser.get("/hoi-dap?co-quan=\(Self.agency)")
            #expect(mine.text.contains("value=\"Nguyễn Văn An\"") && mine.text.contains("value=\"an.nguyen@example.vn\""))
            #expect(try await browser.post("/hoi-dap", Self.question(email: "an.nguyen@example.vn")).status == .seeOther)
            let citizen = try #require(try await UserStore(database: database).credentials(email: "an.nguyen@example.vn")?.user)
            let owner = try await database.read { db in
                try await db.raw("SELECT asker_id FROM questions WHERE id = (SELECT MAX(id) FROM questions)").first()!
                    .decode(column: "asker_id", as: Int64?.self)
            }
            #expect(owner == citizen.id)
            #expect(try await Self.count(database) == 3)
        }
    }

    @Test("Too long, empty, unknown procedure or agency, a 100 kB post, a missing CSRF token: a clear message and nothing saved")
    func badInput() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let long = try await browser.post("/hoi-dap", Self.question(body: String(repeating: "ý", count: 4_001)))
            #expect(long.status == .badRequest)
            #expect(long.text.contains("Nội dung câu hỏi dài tối đa 4000 ký tự (hiện có 4001)."))
            #expect(long.text.contains("<a href=\"#body\">") && long.text.contains("aria-invalid=\"true\""))
            // What was typed is kept.
            #expect(long.text.contains("value=\"Trần Thị Bình\""))

            let empty = try await browser.post("/hoi-dap", Self.question(body: "  \n "))
            #expect(empty.status == .badRequest && empty.text.contains("Vui lòng nhập nội dung câu hỏi."))

            let unknown = try await browser.post("/hoi-dap", Self.question(procedure: "9.999999"))
            #expect(unknown.status == .badRequest && unknown.text.contains("Không tìm thấy thủ tục này của cơ quan đã chọn."))
            // A procedure of another agency is not this agency's.
            let elsewhere = try await browser.post("/hoi-dap", Self.question(agency: Self.otherAgency))
            #expect(elsewhere.status == .badRequest && elsewhere.text.contains("Không tìm thấy thủ tục này của cơ quan đã chọn."))
            let noAgency = try await browser.post("/hoi-dap", Self.question(agency: "000.00.99.H99"))
            #expect(noAgency.status == .badRequest && noAgency.text.contains("Cơ quan này không có trong danh mục."))
            let badEmail = try await browser.post("/hoi-dap", Self.question(email: "không-phải-thư"))
            #expect(badEmail.status == .badRequest && badEmail.text.contains("Địa chỉ thư điện tử không đúng dạng"))
            let noName = try await browser.post("/hoi-dap", Self.question().merging(["name": ""]) { $1 })
            #expect(noName.status == .badRequest && noName.text.contains("Vui lòng nhập họ và tên."))

            let huge = try await browser.post("/hoi-dap", Self.question(body: String(repeating: "a", count: 100_000)))
            #expect(huge.status == .contentTooLarge && huge.text.contains("Dữ liệu biểu mẫu quá lớn"))

            let forged = try await browser.post("/hoi-dap", Self.question(), csrf: .some(nil))
            #expect(forged.status == .forbidden && forged.text.contains("Phiên làm việc của biểu mẫu đã hết hạn"))
            let wrong = try await browser.post("/hoi-dap", Self.question(), csrf: "x")
            #expect(wrong.status == .forbidden)

            #expect(try await Self.count(database) == 0)
            // None of these counted against the address: five good questions still go through.
            for _ in 0..<QuestionController.perAddress.limit {
                #expect(try await browser.post("/hoi-dap", Self.question()).status == .seeOther)
            }
            #expect(try await Self.count(database) == QuestionController.perAddress.limit)
        }
    }

    @Test("Five questions an hour per address (another address is not held back), ten a day per account; beyond: 429 with Retry-After",
          .timeLimit(.minutes(10)))
    func abuseLimits() async throws {
        try await TestEnvironment.withConfiguration { base in
            var configuration = base
            configuration.trustedProxies = try #require(TrustedProxies("127.0.0.1, ::1"))
            let app = try await buildApplication(configuration: configuration, metrics: TestEnvironment.metrics, logger: TestEnvironment.logger)
            let final = configuration
            try await app.test(.live) { client in
                let opened = try await OpenedDatabase.open(final, logger: TestEnvironment.logger)
                try await opened.whileRunning { database in
                    let browser = BrowserClient(client)
                    let from: (String) -> HTTPFields = { [.xForwardedFor: $0] }
                    for _ in 0..<5 {
                        #expect(try await browser.post("/hoi-dap", Self.question(), headers: from("203.0.113.5")).status == .seeOther)
                    }
                    let blocked = try await browser.post("/hoi-dap", Self.question(body: "Câu hỏi thứ sáu"), headers: from("203.0.113.5"))
                    #expect(blocked.status == .tooManyRequests)
                    #expect(blocked.text.contains("Bạn đã gửi nhiều câu hỏi trong thời gian ngắn. Vui lòng gửi lại sau"))
                    #expect(blocked.text.contains("Câu hỏi thứ sáu"))  // what was typed is kept
                    let retry = try #require(Int(blocked.headers[.retryAfter] ?? ""))
                    #expect(retry > 3_000 && retry <= 3_600)
                    #expect(try await browser.post("/hoi-dap", Self.question(), headers: from("203.0.113.6")).status == .seeOther)
                    #expect(try await Self.count(database) == 6)

                    // An account: ten a day, whatever address each comes from.
                    try await Citizen.registerAndSignIn(browser, mail: MailReader(database: database))
                    for index in 0..<10 {
                        let answer = try await browser.post("/hoi-dap", Self.question(), headers: from("198.51.100.\(index + 1)"))
                        #expect(answer.status == .seeOther, "question \(index + 1) of the account")
                    }
                    let overAccount = try await browser.post("/hoi-dap", Self.question(), headers: from("198.51.100.99"))
                    #expect(overAccount.status == .tooManyRequests && overAccount.headers[.retryAfter] != nil)
                    #expect(try await Self.count(database) == 16)
                    // Signed out, that new address may still ask.
                    try await browser.post("/dang-xuat", [:], headers: from("198.51.100.99"))
                    #expect(try await browser.post("/hoi-dap", Self.question(), headers: from("198.51.100.99")).status == .seeOther)
                }
            }
        }
    }

    @Test("Staff see and answer only their agency's questions; answer and publish shows it on the procedure page, withdrawing hides it")
    func answerAndPublish() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            #expect(try await browser.post("/hoi-dap", Self.question()).status == .seeOther)
            let id = try await Self.lastID(database)
            var general = Self.question(body: "Cơ quan làm việc sáng thứ Bảy không?", procedure: "")
            general["subject"] = ""
            #expect(try await browser.post("/hoi-dap", general).status == .seeOther)
            let generalID = try await Self.lastID(database)

            try await Self.staff(database, "tn.sl@example.vn", role: .receptionist, agency: Self.otherAgency)
            try await Self.staff(database, "tn.bk@example.vn", role: .receptionist, agency: Self.agency)
            try await Self.staff(database, "qt.bk@example.vn", role: .agencyAdmin, agency: Self.agency)

            // A citizen is refused; staff of another agency see nothing of it.
            try await Citizen.registerAndSignIn(browser, mail: mail)
            #expect(try await browser.get("/mot-cua/hoi-dap").status == .forbidden)
            #expect(try await browser.get("/mot-cua/hoi-dap/\(id)").status == .forbidden)
            try await Self.signIn(browser, "tn.sl@example.vn")
            let otherList = try await browser.get("/mot-cua/hoi-dap")
            #expect(otherList.status == .ok && otherList.text.contains("Chưa có câu hỏi nào.") && !otherList.text.contains("Giấy tờ kèm theo"))
            #expect(try await browser.get("/mot-cua/hoi-dap/\(id)").status == .notFound)
            #expect(try await browser.post("/mot-cua/hoi-dap/\(id)/tra-loi", ["answer": "Xin trả lời."]).status == .notFound)
            #expect(try await browser.post("/mot-cua/hoi-dap/\(id)/cong-khai", ["published": "1"]).status == .notFound)

            // The agency's receptionist: unanswered first, then answers.
            try await Self.signIn(browser, "tn.bk@example.vn")
            let list = try await browser.get("/mot-cua/hoi-dap")
            #expect(list.status == .ok && list.text.contains("2 câu hỏi đang chờ trả lời."))
            #expect(list.text.contains("href=\"/mot-cua/hoi-dap/\(id)\">Giấy tờ kèm theo</a>"))
            #expect(list.text.contains("Cơ quan làm việc sáng thứ Bảy không?"))
            let show = try await browser.get("/mot-cua/hoi-dap/\(id)")
            #expect(show.status == .ok && show.text.contains("Hồ sơ nâng bậc lương cần bản sao quyết định nào?") && show.text.contains("hoi@example.vn"))
            let empty = try await browser.post("/mot-cua/hoi-dap/\(id)/tra-loi", ["answer": "  ", "publish_shown": "1", "publish": "1"])
            #expect(empty.status == .badRequest && empty.text.contains("Vui lòng nhập nội dung trả lời."))
            // Without the CSRF token: refused, nothing answered.
            #expect(try await browser.post("/mot-cua/hoi-dap/\(id)/tra-loi", ["answer": "Giả mạo"], csrf: .some(nil)).status == .forbidden)
            // Publishing before an answer: refused.
            #expect(try await browser.post("/mot-cua/hoi-dap/\(id)/cong-khai", ["published": "1"]).status == .conflict)
            let faqBefore = try await browser.client.execute(uri: "/thu-tuc/\(Self.agency)/\(Self.procedure)?tab=hoi-dap", method: .get)
            #expect(faqBefore.text.contains("Chưa có câu hỏi nào được công khai cho thủ tục này."))

            let answerText = "Bạn cần bản sao quyết định nâng bậc lương gần nhất."
            let answered = try await browser.post("/mot-cua/hoi-dap/\(id)/tra-loi", ["answer": answerText, "publish_shown": "1", "publish": "1"])
            #expect(answered.status == .seeOther && answered.headers[.location] == "/mot-cua/hoi-dap/\(id)?thong-bao=da-tra-loi")
            #expect(try await browser.get("/mot-cua/hoi-dap").text.contains("1 câu hỏi đang chờ trả lời."))

            // The asker is told by mail, once.
            let mails = try await mail.messages(to: "hoi@example.vn")
            #expect(mails.count == 1 && mails.first?.bodyText.contains(answerText) == true)

            // Published: anyone reads it on the procedure page, without a cookie and without the asker's details.
            let faq = try await browser.client.execute(uri: "/thu-tuc/\(Self.agency)/\(Self.procedure)?tab=hoi-dap", method: .get)
            #expect(faq.status == .ok && faq.text.contains(answerText) && faq.text.contains("Hồ sơ nâng bậc lương cần bản sao quyết định nào?"))
            #expect(!faq.text.contains("Trần Thị Bình") && !faq.text.contains("hoi@example.vn"))
            #expect(faq.headers[values: .setCookie].isEmpty)

            // Withdrawn (by the agency administrator): gone from the page; an edit of the answer mails nobody again.
            try await Self.signIn(browser, "qt.bk@example.vn")
            #expect(try await browser.get("/mot-cua/hoi-dap").status == .ok)
            #expect(try await browser.post("/mot-cua/hoi-dap/\(id)/cong-khai", ["published": "0"]).headers[.location]
                == "/mot-cua/hoi-dap/\(id)?thong-bao=da-an")
            let hidden = try await browser.client.execute(uri: "/thu-tuc/\(Self.agency)/\(Self.procedure)?tab=hoi-dap", method: .get)
            #expect(!hidden.text.contains(answerText) && hidden.text.contains("Chưa có câu hỏi nào được công khai cho thủ tục này."))
            #expect(try await browser.post("/mot-cua/hoi-dap/\(id)/tra-loi", ["answer": answerText + " Sửa lại."]).status == .seeOther)
            #expect(try await mail.messages(to: "hoi@example.vn").count == 1)
            // The edit kept it withdrawn (the publish box was not on the form that was sent).
            #expect(!(try await browser.client.execute(uri: "/thu-tuc/\(Self.agency)/\(Self.procedure)?tab=hoi-dap", method: .get)
                .text.contains("Sửa lại.")))
            #expect(try await browser.post("/mot-cua/hoi-dap/\(id)/cong-khai", ["published": "1"]).status == .seeOther)
            #expect(try await browser.client.execute(uri: "/thu-tuc/\(Self.agency)/\(Self.procedure)?tab=hoi-dap", method: .get)
                .text.contains("Sửa lại."))

            // A general question has no procedure page to be published on.
            #expect(try await browser.post("/mot-cua/hoi-dap/\(generalID)/tra-loi", ["answer": "Có, từ 7 giờ 30."]).status == .seeOther)
            #expect(try await browser.post("/mot-cua/hoi-dap/\(generalID)/cong-khai", ["published": "1"]).status == .conflict)
            let forged = try await browser.post("/mot-cua/hoi-dap/\(generalID)/tra-loi",
                                                ["answer": "Có.", "publish_shown": "1", "publish": "1"])
            #expect(forged.status == .conflict && forged.text.contains("Chỉ công khai được câu hỏi về một thủ tục cụ thể"))
            #expect(try await database.read { db in
                try await db.raw("SELECT answer, published_at FROM questions WHERE id = \(bind: generalID)").first().map {
                    [try $0.decode(column: "answer", as: String.self), String(describing: try $0.decode(column: "published_at", as: Int64?.self))]
                }
            } == ["Có, từ 7 giờ 30.", "nil"])
            #expect(try await browser.post("/mot-cua/hoi-dap/\(generalID)/cong-khai", ["published": "có"]).status == .badRequest)
        }
    }

    @Test("The staff list pages by 20, unanswered first")
    func paging() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let now = Clock.nowMilliseconds()
            try await database.transaction { db in
                for index in 0..<25 {
                    try await db.raw("""
                        INSERT INTO questions (agency_id, asker_name, body, asked_at, client_hash, status, answer, answered_at)
                        SELECT id, 'Người hỏi', \(bind: "Câu hỏi số thứ tự \(index)"), \(bind: now - Int64(index) * 1_000), 'x',
                            \(bind: index % 5 == 0 ? 0 : 1), \(bind: index % 5 == 0 ? "" : "Đã trả lời"),
                            \(bind: index % 5 == 0 ? nil : now)
                        FROM agencies WHERE code = \(bind: Self.agency)
                        """).run()
                }
            }
            try await Self.staff(database, "tn.bk@example.vn", role: .receptionist, agency: Self.agency)
            try await Self.signIn(browser, "tn.bk@example.vn")
            let first = try await browser.get("/mot-cua/hoi-dap").text
            #expect(first.contains("5 câu hỏi đang chờ trả lời.") && first.contains("href=\"/mot-cua/hoi-dap?trang=2\""))
            // The five unanswered (0, 5, 10, 15, 20) come first, then the newest answered.
            let order = first.matches(of: /Câu hỏi số thứ tự (\d+)</).map { Int($0.output.1)! }
            #expect(order.count == 20 && Array(order.prefix(6)) == [0, 5, 10, 15, 20, 1])
            let second = try await browser.get("/mot-cua/hoi-dap?trang=2").text
            #expect(second.matches(of: /Câu hỏi số thứ tự (\d+)</).count == 5 && second.contains("rel=\"prev\"") && !second.contains("rel=\"next\""))
        }
    }
}
