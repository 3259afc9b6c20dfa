import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// An account with an API token: a staff member in a role of an agency.
struct APIStaff {
    let token: String
    let user: User

    static func make(_ database: any Database, email: String, role: StaffRole, agency: String = "000.00.08.H06") async throws -> APIStaff {
        let user = try await database.transaction { db in
            try await UserStore.insert(NewUser(kind: .staff, email: email, passwordHash: "-", displayName: "Cán bộ \(role.rawValue)",
                                               role: role, agencyCode: agency, emailVerified: true), in: db)
        }
        return APIStaff(token: try await APITokenStore(database: database).create(userID: user.id, name: "test"), user: user)
    }

    var auth: HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }
}

/// The back office's answer for one dossier.
struct StaffDossierBody: Decodable {
    struct File: Decodable { var id: Int64; var kind: String; var downloadUrl: String }
    struct Applicant: Decodable { var name: String; var email: String }
    var id: Int64
    var code: String?
    var status: Int
    var dueAt: Int64?
    var deskNote: String
    var files: [File]
    var applicant: Applicant?
    var availableActions: [String]?
}

/// Files a complete dossier of Bắc Kạn's "thi tuyển công chức" over the API, as `citizen`.
enum APIFiling {
    static let agency = "000.00.08.H06"
    static let pdf = Array("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)

    static func submitted(_ browser: BrowserClient, _ citizen: APICitizen, database: any Database) async throws -> StaffDossierBody {
        let draft = try await draft(browser, citizen, database: database)
        let submitted = try await browser.client.execute(uri: "/api/v1/dossiers/\(draft.id)/submit", method: .post, headers: citizen.auth)
        #expect(submitted.status == .ok)
        return try submitted.json(StaffDossierBody.self)
    }

    /// A draft with valid values and every mandatory document attached.
    static func draft(_ browser: BrowserClient, _ citizen: APICitizen, database: any Database) async throws -> StaffDossierBody {
        let procedure = try #require(try await CatalogReader(repository: SQLCatalogRepository(database: database))
            .procedure(agencyCode: agency, code: "1.005384"))
        var values: [String: String] = [:]
        for field in procedure.formFields {
            values[field.key] = field.options?.first ?? (field.type == .number ? "2" : field.type == .date ? "2026-12-01" : "Trường Tiểu học")
        }
        let body = try JSONSerialization.data(withJSONObject: [
            "agencyCode": agency, "procedureCode": "1.005384", "values": values, "deliveryMethod": "online",
        ])
        let created = try await browser.client.execute(uri: "/api/v1/dossiers", method: .post, headers: citizen.auth, body: ByteBuffer(bytes: body))
        let draft = try created.json(StaffDossierBody.self)
        for document in procedure.requiredDocuments where document.mandatory {
            let response = try await upload(browser, auth: citizen.auth, uri: "/api/v1/dossiers/\(draft.id)/documents/\(document.position + 1)/files")
            #expect(response.status == .created)
        }
        return draft
    }

    static func upload(_ browser: BrowserClient, auth: HTTPFields, uri: String, bytes: [UInt8] = pdf, name: String = "tep.pdf") async throws -> TestResponse {
        var headers = auth
        headers[.contentType] = "application/octet-stream"
        headers[.fileName] = name
        return try await browser.client.execute(uri: uri, method: .put, headers: headers, body: ByteBuffer(bytes: bytes))
    }

    /// POSTs a step of the back office.
    static func act(_ browser: BrowserClient, _ staff: APIStaff, _ id: Int64, _ action: String, note: String? = nil) async throws -> TestResponse {
        var body: [String: String] = ["action": action]
        body["note"] = note
        return try await browser.client.execute(
            uri: "/api/v1/staff/dossiers/\(id)/actions", method: .post, headers: staff.auth,
            body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
    }
}

@Suite("Back office API")
struct BackOfficeAPITests {
    @Test("Accept with the appointment date, process, attach the result, approve, return; the citizen downloads the result")
    func wholeJourney() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            let citizen = try await APICitizen.make(database, email: "cong.dan@example.vn", citizenID: "001099000111")
            let desk = try await APIStaff.make(database, email: "tiep.nhan@example.vn", role: .receptionist)
            let processor = try await APIStaff.make(database, email: "chuyen.vien@example.vn", role: .processor)
            let leader = try await APIStaff.make(database, email: "lanh.dao@example.vn", role: .leader)
            let dossier = try await APIFiling.submitted(browser, citizen, database: database)

            // The desk sees it in the agency's list, with the applicant and the steps open to a receptionist.
            let list = try await browser.client.execute(uri: "/api/v1/staff/dossiers?status=1", method: .get, headers: desk.auth)
            #expect(list.status == .ok && list.text.contains(dossier.code!))
            let seen = try await browser.client.execute(uri: "/api/v1/staff/dossiers/\(dossier.id)", method: .get, headers: desk.auth)
            let body = try seen.json(StaffDossierBody.self)
            #expect(body.applicant?.email == "cong.dan@example.vn")
            #expect(Set(body.availableActions ?? []) == ["accept", "refuse", "requestSupplement", "requestFee"])
            // The processor cannot accept: 403, and nothing changes.
            #expect(try await APIFiling.act(browser, processor, dossier.id, "accept").status == .forbidden)

            let before = Date()
            let accepted = try await APIFiling.act(browser, desk, dossier.id, "accept")
            #expect(accepted.status == .ok)
            let acceptedBody = try accepted.json(StaffDossierBody.self)
            #expect(acceptedBody.status == 2)
            // Bắc Kạn's procedure takes its processing days in working days, from the time of acceptance.
            let procedure = try #require(try await CatalogReader(repository: SQLCatalogRepository(database: database))
                .procedure(agencyCode: APIFiling.agency, code: "1.005384"))
            let expected = WorkingCalendar().deadline(from: before, workingDays: procedure.processingDays)
            let due = Date(timeIntervalSince1970: Double(try #require(acceptedBody.dueAt)) / 1000)
            #expect(abs(due.timeIntervalSince(expected)) < 60)
            #expect(try await mail.messages(to: "cong.dan@example.vn").contains { $0.bodyText.contains("Ngày hẹn trả kết quả") })
            // Accepting twice: the status has moved on (409).
            #expect(try await APIFiling.act(browser, desk, dossier.id, "accept").status == .conflict)

            // The desk forwards it to the processor's unit and person; the processor hands it up to the leader.
            try await processor.place(in: "Phòng Công chức, viên chức", database: database)
            try await leader.place(in: ProcessStep.leadershipUnit, database: database)
            #expect(try await APIFiling.act(browser, desk, dossier.id, "forward", to: processor.user.id).status == .ok)
            #expect(try await APIFiling.act(browser, processor, dossier.id, "forward").status == .ok)
            #expect(try await APIFiling.act(browser, processor, dossier.id, "forward", to: leader.user.id).status == .ok)
            // Approving without a result file is refused; the leader sends it back to the processor.
            #expect(try await APIFiling.act(browser, leader, dossier.id, "finish").status == .unprocessableContent)
            #expect(try await APIFiling.act(browser, leader, dossier.id, "sendBack", note: "Thiếu tệp kết quả").status == .ok)
            // The receptionist may not attach a result; the processor holding the step may.
            let resultURI = "/api/v1/staff/dossiers/\(dossier.id)/result-files"
            #expect(try await APIFiling.upload(browser, auth: desk.auth, uri: resultURI).status == .forbidden)
            let result = try await APIFiling.upload(browser, auth: processor.auth, uri: resultURI, name: "Quyet-dinh.pdf")
            #expect(result.status == .created)
            // Before approval the citizen does not see the result.
            let early = try await browser.client.execute(uri: "/api/v1/dossiers/\(dossier.id)", method: .get, headers: citizen.auth)
            #expect(try early.json(StaffDossierBody.self).files.allSatisfy { $0.kind == "applicant" })
            #expect(try await APIFiling.act(browser, processor, dossier.id, "forward", to: leader.user.id).status == .ok)

            #expect(try await APIFiling.act(browser, leader, dossier.id, "finish").status == .ok)
            let mine = try await browser.client.execute(uri: "/api/v1/dossiers/\(dossier.id)", method: .get, headers: citizen.auth)
            let resultFile = try #require(try mine.json(StaffDossierBody.self).files.first { $0.kind == "result" })
            let download = try await browser.client.execute(uri: resultFile.downloadUrl, method: .get, headers: citizen.auth)
            #expect(download.status == .ok && Array(download.body.readableBytesView) == APIFiling.pdf)
            #expect(download.headers[.contentDisposition]?.hasPrefix("attachment;") == true)

            let returned = try await APIFiling.act(browser, desk, dossier.id, "returnResult")
            #expect(try returned.json(StaffDossierBody.self).status == 10)
            // The history holds every step, in order.
            let events = try await DossierStore(database: database).events(dossierID: dossier.id).map(\.action)
            #expect(events == [.submit, .accept, .forward, .forward, .forward, .sendBack, .forward, .finish, .returnResult])
        }
    }

    @Test("A supplement request is made once, in writing; the citizen adds files and sends it back to the desk")
    func supplementLoop() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            let citizen = try await APICitizen.make(database, email: "bo.sung@example.vn", citizenID: "001099000222")
            let desk = try await APIStaff.make(database, email: "tiep.nhan@example.vn", role: .receptionist)
            let dossier = try await APIFiling.submitted(browser, citizen, database: database)

            let noNote = try await APIFiling.act(browser, desk, dossier.id, "requestSupplement", note: "  ")
            #expect(noNote.status == .unprocessableContent && noNote.text.contains("\"note\""))
            #expect(try await DossierStore(database: database).dossier(id: dossier.id)?.status == .registered)

            let request = "Bổ sung bản sao bằng tốt nghiệp có chứng thực."
            #expect(try await APIFiling.act(browser, desk, dossier.id, "requestSupplement", note: request).status == .ok)
            let mine = try await browser.client.execute(uri: "/api/v1/dossiers/\(dossier.id)", method: .get, headers: citizen.auth)
            let body = try mine.json(StaffDossierBody.self)
            #expect(body.status == 5 && body.deskNote == request)
            #expect(try await mail.messages(to: "bo.sung@example.vn").contains { $0.bodyText.contains(request) })

            // The citizen adds a file and answers; an empty answer is refused.
            let added = try await APIFiling.upload(browser, auth: citizen.auth, uri: "/api/v1/dossiers/\(dossier.id)/documents/1/files")
            #expect(added.status == .created)
            let empty = try await browser.client.execute(
                uri: "/api/v1/dossiers/\(dossier.id)/supplement", method: .post, headers: citizen.auth, body: ByteBuffer(string: #"{"note":""}"#))
            #expect(empty.status == .unprocessableContent)
            let answered = try await browser.client.execute(
                uri: "/api/v1/dossiers/\(dossier.id)/supplement", method: .post, headers: citizen.auth,
                body: ByteBuffer(string: #"{"note":"Đã bổ sung bằng tốt nghiệp."}"#))
            #expect(answered.status == .ok)
            #expect(try answered.json(StaffDossierBody.self).status == 1)
            // Back at the desk, which may now accept it; files can no longer be added.
            #expect(try await APIFiling.act(browser, desk, dossier.id, "accept").status == .ok)
            let late = try await APIFiling.upload(browser, auth: citizen.auth, uri: "/api/v1/dossiers/\(dossier.id)/documents/1/files")
            #expect(late.status == .conflict)
            // Answering again when nothing was asked: 409.
            let again = try await browser.client.execute(
                uri: "/api/v1/dossiers/\(dossier.id)/supplement", method: .post, headers: citizen.auth, body: ByteBuffer(string: #"{"note":"x"}"#))
            #expect(again.status == .conflict)
        }
    }

    @Test("A refusal carries its reason to the citizen; a refused dossier cannot be withdrawn")
    func refusal() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let citizen = try await APICitizen.make(database, email: "tu.choi@example.vn", citizenID: "001099000333")
            let desk = try await APIStaff.make(database, email: "tiep.nhan@example.vn", role: .receptionist)
            let dossier = try await APIFiling.submitted(browser, citizen, database: database)
            #expect(try await APIFiling.act(browser, desk, dossier.id, "refuse").status == .unprocessableContent)
            let refused = try await APIFiling.act(browser, desk, dossier.id, "refuse", note: "Không thuộc thẩm quyền của Sở.")
            #expect(try refused.json(StaffDossierBody.self).status == 3)
            let withdraw = try await browser.client.execute(uri: "/api/v1/dossiers/\(dossier.id)/withdraw", method: .post, headers: citizen.auth)
            #expect(withdraw.status == .conflict)
            let mine = try await browser.client.execute(uri: "/api/v1/dossiers/\(dossier.id)", method: .get, headers: citizen.auth)
            #expect(try mine.json(StaffDossierBody.self).deskNote == "Không thuộc thẩm quyền của Sở.")
        }
    }

    @Test("Staff of another agency get 404, citizens and administrators 403, on every staff dossier URL")
    func accessControl() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let citizen = try await APICitizen.make(database, email: "chu.ho.so@example.vn", citizenID: "001099000444")
            let otherAgency = try await APIStaff.make(database, email: "khac@example.vn", role: .receptionist, agency: "000.00.07.H52")
            let admin = try await APIStaff.make(database, email: "quan.tri@example.vn", role: .agencyAdmin)
            let desk = try await APIStaff.make(database, email: "tiep.nhan@example.vn", role: .receptionist)
            let dossier = try await APIFiling.submitted(browser, citizen, database: database)
            let fileID = try #require(dossier.files.first?.id)
            let urls: [(String, HTTPRequest.Method)] = [
                ("/api/v1/staff/dossiers/\(dossier.id)", .get), ("/api/v1/staff/dossiers/\(dossier.id)/actions", .post),
                ("/api/v1/staff/dossiers/\(dossier.id)/result-files", .put),
                ("/api/v1/staff/dossiers/\(dossier.id)/attachments/\(fileID)", .get),
            ]
            for (uri, method) in urls {
                let body = ByteBuffer(string: #"{"action":"accept"}"#)
                #expect(try await browser.client.execute(uri: uri, method: method, headers: otherAgency.auth, body: body).status == .notFound, "\(uri)")
                #expect(try await browser.client.execute(uri: uri, method: method, headers: citizen.auth, body: body).status == .forbidden, "\(uri)")
                #expect(try await browser.client.execute(uri: uri, method: method, headers: admin.auth, body: body).status == .forbidden, "\(uri)")
                #expect(try await browser.client.execute(uri: uri, method: method).status == .unauthorized, "\(uri)")
            }
            let otherList = try await browser.client.execute(uri: "/api/v1/staff/dossiers", method: .get, headers: otherAgency.auth)
            #expect(otherList.status == .ok && !otherList.text.contains(dossier.code!))
            #expect(try await browser.client.execute(uri: "/api/v1/staff/dossiers", method: .get, headers: citizen.auth).status == .forbidden)
            // The agency's own receptionist reads the citizen's file.
            let file = try await browser.client.execute(uri: "/api/v1/staff/dossiers/\(dossier.id)/attachments/\(fileID)", method: .get, headers: desk.auth)
            #expect(file.status == .ok && file.headers[.xContentTypeOptions] == "nosniff")
            // Nothing changed on the way.
            #expect(try await DossierStore(database: database).dossier(id: dossier.id)?.status == .registered)
            // Drafts are the applicant's own: invisible to staff.
            let draft = try await APIFiling.draft(browser, citizen, database: database)
            #expect(try await browser.client.execute(uri: "/api/v1/staff/dossiers/\(draft.id)", method: .get, headers: desk.auth).status == .notFound)
        }
    }

    @Test("Two receptionists deciding at once: one decision wins, the other is told")
    func concurrentDecisions() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let citizen = try await APICitizen.make(database, email: "dong.thoi@example.vn", citizenID: "001099000555")
            let first = try await APIStaff.make(database, email: "tn1@example.vn", role: .receptionist)
            let second = try await APIStaff.make(database, email: "tn2@example.vn", role: .receptionist)
            let dossier = try await APIFiling.submitted(browser, citizen, database: database)
            async let accept = APIFiling.act(browser, first, dossier.id, "accept")
            async let refuse = APIFiling.act(browser, second, dossier.id, "refuse", note: "Sai thủ tục")
            let statuses = [try await accept.status, try await refuse.status]
            #expect(statuses.filter { $0 == .ok }.count == 1 && statuses.filter { $0 == .conflict }.count == 1, "\(statuses)")
            let events = try await DossierStore(database: database).events(dossierID: dossier.id)
            #expect(events.count == 2)
        }
    }

    @Test("The public lookup page follows every status change, although anonymous answers are kept")
    func lookupFollowsChanges() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let citizen = try await APICitizen.make(database, email: "tra.cuu@example.vn", citizenID: "001099000666")
            let desk = try await APIStaff.make(database, email: "tiep.nhan@example.vn", role: .receptionist)
            let dossier = try await APIFiling.submitted(browser, citizen, database: database)
            let uri = "/tra-cuu?ma=\(dossier.code!)"
            for _ in 0..<2 {
                let page = try await browser.client.execute(uri: uri, method: .get)
                #expect(page.status == .ok && page.text.contains("Mới đăng ký, chờ tiếp nhận"))
            }
            #expect(try await APIFiling.act(browser, desk, dossier.id, "accept").status == .ok)
            let after = try await browser.client.execute(uri: uri, method: .get)
            #expect(after.text.contains("Đã tiếp nhận") && !after.text.contains("Mới đăng ký, chờ tiếp nhận"))
            let due = try #require(try await DossierStore(database: database).dossier(id: dossier.id)?.dueAt)
            #expect(after.text.contains(VietnameseFormat.dateTime(due)))
        }
    }
}
