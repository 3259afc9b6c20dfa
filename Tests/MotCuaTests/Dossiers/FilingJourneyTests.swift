import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

@Suite("Filing a dossier in the portal")
struct FilingJourneyTests {
    static let procedurePath = "/thu-tuc/000.00.08.H06/1.005384"
    static let pdf = Array("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)

    /// A complete start form for the procedure: summary, its own fields with valid values, delivery online.
    static func validFields(_ database: any Database) async throws -> [String: String] {
        let procedure = try #require(try await CatalogReader(repository: SQLCatalogRepository(database: database))
            .procedure(agencyCode: "000.00.08.H06", code: "1.005384"))
        var fields = ["request_summary": "Đăng ký dự tuyển", "delivery_method": "online"]
        for field in procedure.formFields {
            fields["f_" + field.key] = field.options?.first ?? (field.type == .number ? "2" : field.type == .date ? "2026-12-01" : "Trường Tiểu học")
        }
        return fields
    }

    @Test("Start, attach files through the form, submit, see the acknowledgement and the dossier in my list")
    func journey() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            // Anonymous visitors are sent to log in first.
            #expect(try await browser.get("\(Self.procedurePath)/nop-ho-so").status == .seeOther)
            try await Citizen.registerAndSignIn(browser, mail: mail)
            let procedure = try #require(try await CatalogReader(repository: SQLCatalogRepository(database: database))
                .procedure(agencyCode: "000.00.08.H06", code: "1.005384"))
            let form = try await browser.get("\(Self.procedurePath)/nop-ho-so")
            #expect(form.status == .ok && form.text.contains("Nộp hồ sơ trực tuyến"))

            // Missing required fields: messages, nothing saved.
            let empty = try await browser.post("\(Self.procedurePath)/nop-ho-so", [:])
            #expect(empty.status == .unprocessableContent && empty.text.contains("Vui lòng chọn cách nhận kết quả"))
            _ = procedure
            let fields = try await Self.validFields(database)
            let created = try await browser.post("\(Self.procedurePath)/nop-ho-so", fields)
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let dossierPath = String(location.split(separator: "?")[0])

            // A renamed executable is refused; PDFs are accepted for every mandatory document.
            let bad = try await browser.upload("\(dossierPath)/tep/1", fileName: "don.pdf", bytes: Array("MZ\u{90}\u{0}binary".utf8))
            #expect(bad.status == .unsupportedMediaType && bad.text.contains("không phải PDF"))
            // The refusal stands beside the slot it was meant for, with the file's name; every slot says what it takes.
            #expect(bad.text.contains("id=\"tep-1-loi\"") && bad.text.contains("Tệp &quot;don.pdf&quot;: Tệp không phải PDF")
                    || bad.text.contains("Tệp \"don.pdf\": Tệp không phải PDF"))
            #expect(bad.text.contains("aria-invalid=\"true\"") && bad.text.contains("tối đa 20 MB mỗi tệp"))
            let forged = try await browser.upload("\(dossierPath)/tep/1", fileName: "don.pdf", bytes: Self.pdf, csrf: "sai")
            #expect(forged.status == .forbidden)
            let early = try await browser.post("\(dossierPath)/nop", [:])
            #expect(early.status == .unprocessableContent && early.text.contains("Còn thiếu giấy tờ bắt buộc"))
            for document in procedure.requiredDocuments where document.mandatory {
                let response = try await browser.upload("\(dossierPath)/tep/\(document.position + 1)", fileName: "Đơn đăng ký.pdf", bytes: Self.pdf)
                #expect(response.status == .seeOther)
            }
            let page = try await browser.get(dossierPath)
            #expect(page.text.contains("Đơn đăng ký.pdf") && page.text.contains("\(dossierPath)/xem-lai"))
            // The review step shows everything once more, with the submit button and nothing missing.
            let review = try await browser.get("\(dossierPath)/xem-lai")
            #expect(review.status == .ok && review.text.contains("Xem lại hồ sơ trước khi nộp"))
            #expect(review.text.contains("action=\"\(dossierPath)/nop\"") && !review.text.contains("Còn thiếu giấy tờ bắt buộc"))
            #expect(review.text.contains("Đơn đăng ký.pdf") && !review.text.contains("Tải tệp lên"))

            // 303 to the confirmation: a reload or "back" posts nothing again.
            let posted = try await browser.post("\(dossierPath)/nop", [:])
            #expect(posted.status == .seeOther && posted.headers[.location] == "\(dossierPath)/da-nop")
            let submitted = try await browser.get("\(dossierPath)/da-nop")
            #expect(submitted.status == .ok && submitted.text.contains("Đã nộp hồ sơ thành công"))
            let code = try #require(submitted.text.firstMatch(of: /000\.00\.08\.H06-\d{6}-\d{4}/).map { String($0.0) })
            let list = try await browser.get("/ho-so")
            #expect(list.text.contains(code) && list.text.contains("Mới đăng ký, chờ tiếp nhận"))
            let after = try await browser.get(dossierPath)
            #expect(after.text.contains("Bạn đã nộp hồ sơ trực tuyến") && !after.text.contains("Tải tệp lên"))
            // Once submitted, the review step leads back to the dossier.
            #expect(try await browser.get("\(dossierPath)/xem-lai").headers[.location] == dossierPath)
            #expect(try await mail.messages(to: "an.nguyen@example.vn").contains { $0.subject.contains(code) })

            // Withdraw while not yet accepted.
            let withdrawn = try await browser.post("\(dossierPath)/rut", ["reason": "Nộp nhầm thủ tục"])
            #expect(withdrawn.status == .seeOther)
            #expect(try await browser.get(dossierPath).text.contains("Đã rút hồ sơ"))
        }
    }

    @Test("Another citizen, and staff, cannot see or change someone's dossier or its files")
    func isolation() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            try await Citizen.registerAndSignIn(browser, mail: mail)
            let fields = try await Self.validFields(database)
            let created = try await browser.post("\(Self.procedurePath)/nop-ho-so", fields)
            let dossierPath = String(try #require(created.headers[.location]).split(separator: "?")[0])
            #expect(try await browser.upload("\(dossierPath)/tep/1", fileName: "a.pdf", bytes: Self.pdf).status == .seeOther)
            let fileURL = try #require(try await browser.get(dossierPath).text.firstMatch(of: /href="(\/ho-so\/\d+\/tep-dinh-kem\/\d+)"/).map { String($0.1) })
            #expect(try await browser.get(fileURL).status == .ok)

            try await browser.post("/dang-xuat", [:])
            try await Citizen.registerAndSignIn(browser, mail: mail, email: "nguoi.khac@example.vn", citizenID: "079199001234")
            for uri in [dossierPath, fileURL] {
                #expect(try await browser.get(uri).status == .notFound, "\(uri)")
            }
            #expect(try await browser.post("\(dossierPath)/nop", [:]).status == .notFound)
            #expect(try await browser.post("\(dossierPath)/rut", [:]).status == .notFound)
            #expect(try await browser.upload("\(dossierPath)/tep/1", fileName: "x.pdf", bytes: Self.pdf).status == .notFound)
            #expect(!(try await browser.get("/ho-so").text.contains(dossierPath)))
        }
    }
}

@Suite("Editing a draft")
struct DraftEditingTests {
    @Test("A saved draft's form opens prefilled, takes changes, keeps its files; a submitted dossier cannot be edited")
    func editInPages() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            try await Citizen.registerAndSignIn(browser, mail: mail)
            let start = try await browser.get("\(FilingJourneyTests.procedurePath)/nop-ho-so")
            // The applicant's details come from the account.
            #expect(start.text.contains("Người nộp hồ sơ") && start.text.contains("Nguyễn Văn An") && start.text.contains("001203004567"))
            var fields = try await FilingJourneyTests.validFields(database)
            fields["request_summary"] = "Bản đầu"
            let created = try await browser.post("\(FilingJourneyTests.procedurePath)/nop-ho-so", fields)
            let dossierPath = String(try #require(created.headers[.location]).split(separator: "?")[0])
            #expect(try await browser.upload("\(dossierPath)/tep/1", fileName: "a.pdf", bytes: FilingJourneyTests.pdf).status == .seeOther)

            let form = try await browser.get("\(dossierPath)/sua")
            #expect(form.status == .ok && form.text.contains("Bản đầu") && form.text.contains("action=\"\(dossierPath)/sua\""))
            fields["request_summary"] = "Bản đã sửa"
            fields["delivery_method"] = "post"
            fields["delivery_address"] = ""
            let refused = try await browser.post("\(dossierPath)/sua", fields)
            #expect(refused.status == .unprocessableContent && refused.text.contains("Bản đã sửa"))
            fields["delivery_address"] = "Số 1 Trường Chinh, Bắc Kạn"
            #expect(try await browser.post("\(dossierPath)/sua", fields).status == .seeOther)
            let page = try await browser.get(dossierPath)
            #expect(page.text.contains("Bản đã sửa") && page.text.contains("Số 1 Trường Chinh") && page.text.contains("a.pdf"))

            let procedure = try #require(try await CatalogReader(repository: SQLCatalogRepository(database: database))
                .procedure(agencyCode: "000.00.08.H06", code: "1.005384"))
            for document in procedure.requiredDocuments where document.mandatory {
                _ = try await browser.upload("\(dossierPath)/tep/\(document.position + 1)", fileName: "b.pdf", bytes: FilingJourneyTests.pdf)
            }
            #expect(try await browser.post("\(dossierPath)/nop", [:]).status == .seeOther)
            #expect(try await browser.get("\(dossierPath)/sua").status == .conflict)
            #expect(try await browser.post("\(dossierPath)/sua", fields).status == .conflict)
        }
    }

    @Test("PUT /api/v1/dossiers/{id} replaces a draft's fields, validates them, and refuses other people and submitted dossiers")
    func editOverAPI() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let citizen = try await APICitizen.make(database, email: "sua@example.vn", citizenID: "001099000777")
            let other = try await APICitizen.make(database, email: "khac@example.vn", citizenID: "001099000778")
            let draft = try await APIFiling.draft(browser, citizen, database: database)
            let procedure = try #require(try await CatalogReader(repository: SQLCatalogRepository(database: database))
                .procedure(agencyCode: "000.00.08.H06", code: "1.005384"))
            var values: [String: String] = [:]
            for field in procedure.formFields {
                values[field.key] = field.options?.first ?? (field.type == .number ? "3" : field.type == .date ? "2026-12-02" : "Đã sửa")
            }
            let body = try JSONSerialization.data(withJSONObject: ["requestSummary": "Qua API", "values": values, "deliveryMethod": "online"])
            let updated = try await browser.client.execute(uri: "/api/v1/dossiers/\(draft.id)", method: .put, headers: citizen.auth,
                                                           body: ByteBuffer(bytes: body))
            #expect(updated.status == .ok)
            let saved = try #require(try await DossierStore(database: database).dossier(id: draft.id))
            #expect(saved.requestSummary == "Qua API" && saved.formValues == values)
            // The files attached before stay attached.
            #expect(try await DossierStore(database: database).attachments(dossierID: draft.id).count
                    == procedure.requiredDocuments.filter(\.mandatory).count)

            let bad = try await browser.client.execute(uri: "/api/v1/dossiers/\(draft.id)", method: .put, headers: citizen.auth,
                                                       body: ByteBuffer(string: #"{"values":{"khong_co":"x"}}"#))
            #expect(bad.status == .unprocessableContent)
            #expect(try await DossierStore(database: database).dossier(id: draft.id)?.requestSummary == "Qua API")
            let foreign = try await browser.client.execute(uri: "/api/v1/dossiers/\(draft.id)", method: .put, headers: other.auth,
                                                           body: ByteBuffer(bytes: body))
            #expect(foreign.status == .notFound)
            #expect(try await browser.client.execute(uri: "/api/v1/dossiers/\(draft.id)/submit", method: .post, headers: citizen.auth).status == .ok)
            let late = try await browser.client.execute(uri: "/api/v1/dossiers/\(draft.id)", method: .put, headers: citizen.auth,
                                                        body: ByteBuffer(bytes: body))
            #expect(late.status == .conflict)
        }
    }
}

@Suite("My dossiers list")
struct MyDossiersListTests {
    @Test("Twenty dossiers a page, newest first, with keyset links that keep the status filter")
    func pages() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            try await Citizen.registerAndSignIn(browser, mail: mail)
            var fields = try await FilingJourneyTests.validFields(database)
            for number in 1...25 {
                fields["request_summary"] = "Hồ sơ số \(number)"
                #expect(try await browser.post("\(FilingJourneyTests.procedurePath)/nop-ho-so", fields).status == .seeOther)
            }
            let rows = /<tr><td><a href="\/ho-so\/(\d+)">/
            let first = try await browser.get("/ho-so?trang-thai=0")
            let firstIDs = first.text.matches(of: rows).map { Int($0.1)! }
            #expect(firstIDs.count == 20 && firstIDs == firstIDs.sorted(by: >))
            // The next page starts after the last row shown; the filter is kept.
            let next = try #require(first.text.firstMatch(of: /href="(\/ho-so\?[^"]*sau=\d+[^"]*)" rel="next"/).map { String($0.1) })
            #expect(next.contains("trang-thai=0"))
            let second = try await browser.get(next.replacingOccurrences(of: "&amp;", with: "&"))
            let secondIDs = second.text.matches(of: rows).map { Int($0.1)! }
            #expect(secondIDs.count == 5 && secondIDs.allSatisfy { $0 < firstIDs.last! })
            #expect(second.text.contains("rel=\"first\"") && !second.text.contains("rel=\"next\""))
            // A cursor the portal did not make starts from the first page.
            #expect(try await browser.get("/ho-so?sau=abc").text.matches(of: rows).count == 20)
            #expect(try await browser.get("/ho-so?sau=-3").text.matches(of: rows).count == 20)
        }
    }
}
