import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import MotCua

/// "Hồ sơ giấy đang nhập": the paper dossiers the desk saved but has not registered stay listed on the intake
/// page for the agency's receptionists, with a link to go on, until they are registered.
@Suite("Paper drafts at the desk")
struct PaperDraftListTests {
    @Test("Listed for every receptionist of the agency with a link to go on; gone once registered; other agencies and online drafts never")
    func listed() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                          publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
            for (email, agency) in [("tn@example.vn", "000.00.08.H06"), ("tn2@example.vn", "000.00.08.H06"), ("khac@example.vn", "000.00.07.H52")] {
                _ = try await accounts.createStaff(email: email, name: "Cán bộ \(email)", role: .receptionist, agencyCode: agency,
                                                   password: DeskIntakeTests.password, unitName: ProcessStep.receptionUnit)
            }
            // A citizen's online draft of the same agency is not the desk's.
            let citizen = try await APICitizen.make(database, email: "cong.dan@example.vn", citizenID: "001099000111")
            _ = try await APIFiling.draft(browser, citizen, database: database)

            try await DeskIntakeTests.signIn(browser, "tn@example.vn")
            #expect(try await browser.get("/mot-cua/tiep-nhan-ho-so-giay").text.contains("Không có hồ sơ giấy nào đang nhập dở."))
            let started = try await browser.post("/mot-cua/tiep-nhan-ho-so-giay", DeskIntakeTests.form(["name": "Hà Thị Mỷ", "channel": "3"]))
            let path = try #require(started.headers[.location]?.split(separator: "?").first.map(String.init))
            let id = try #require(Int64(path.split(separator: "/").last ?? ""))

            // The receptionist leaves, another one of the desk opens the intake page: the draft is there, with its link.
            try await DeskIntakeTests.signIn(browser, "tn2@example.vn")
            let page = try await browser.get("/mot-cua/tiep-nhan-ho-so-giay")
            #expect(page.status == .ok && page.text.contains("Hồ sơ giấy đang nhập"))
            #expect(page.text.contains("<a href=\"\(path)\">Hà Thị Mỷ</a>") && page.text.contains("014099000777"))
            #expect(page.text.contains("Qua bưu chính") && page.text.contains("Hồ sơ không được cập nhật trong 30 ngày sẽ bị xóa."))
            #expect(!page.text.contains("Công dân cong.dan@example.vn"), "an online draft is listed")
            #expect(try await browser.get(path).status == .ok, "the link does not lead on")

            // Another agency's desk does not see it.
            try await DeskIntakeTests.signIn(browser, "khac@example.vn")
            #expect(!(try await browser.get("/mot-cua/tiep-nhan-ho-so-giay").text.contains("Hà Thị Mỷ")))

            // Scanned and registered: no longer "đang nhập".
            try await DeskIntakeTests.signIn(browser, "tn@example.vn")
            let procedure = try #require(try await CatalogReader(repository: SQLCatalogRepository(database: database))
                .procedure(agencyCode: "000.00.08.H06", code: "1.005384"))
            for document in procedure.requiredDocuments where document.mandatory {
                #expect(try await browser.upload("\(path)/quet/\(document.position + 1)", fileName: "ban-quet.pdf",
                                                 bytes: FilingJourneyTests.pdf).status == .seeOther)
            }
            #expect(try await browser.get("/mot-cua/tiep-nhan-ho-so-giay").text.contains("<td>\(procedure.requiredDocuments.filter(\.mandatory).count)</td>"),
                    "the number of scans")
            #expect(try await browser.post("\(path)/xu-ly", ["action": "register"]).status == .seeOther)
            #expect(try await DossierStore(database: database).dossier(id: id)?.status == .registered)
            let after = try await browser.get("/mot-cua/tiep-nhan-ho-so-giay")
            #expect(!after.text.contains("Hà Thị Mỷ") && after.text.contains("Không có hồ sơ giấy nào đang nhập dở."))
        }
    }
}
