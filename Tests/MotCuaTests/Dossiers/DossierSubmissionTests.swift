import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// A verified citizen and a draft of "Thủ tục thi tuyển công chức" (Bắc Kạn, individuals, fields and
/// mandatory documents), ready to submit once its files are attached.
struct Filing {
    let dependencies: AppDependencies
    let applicant: User

    static let agency = "000.00.08.H06"
    static let procedure = "1.005384"

    static func make(_ dependencies: AppDependencies, email: String = "an.nguyen@example.vn", verified: Bool = true) async throws -> Filing {
        let applicant = try await dependencies.database.transaction { db in
            try await UserStore.insert(NewUser(
                kind: .individual, email: email, passwordHash: "-", displayName: "Nguyễn Văn An",
                citizenID: String(abs(email.hashValue) % 1_000_000_000_000).padding(toLength: 12, withPad: "0", startingAt: 0),
                phone: "0912345678", address: "Bắc Kạn", emailVerified: verified), in: db)
        }
        return Filing(dependencies: dependencies, applicant: applicant)
    }

    var procedure: Procedure {
        get async throws { try #require(try await dependencies.catalogReader.procedure(agencyCode: Self.agency, code: Self.procedure)) }
    }

    /// Valid values for the procedure's own fields.
    func values() async throws -> [String: String] {
        var values: [String: String] = [:]
        for field in try await procedure.formFields {
            switch field.type {
            case .select: values[field.key] = field.options?.first
            case .number: values[field.key] = "2"
            case .date: values[field.key] = "2026-12-01"
            case .email: values[field.key] = "an@example.vn"
            case .phone: values[field.key] = "0912345678"
            default: values[field.key] = "Trường Tiểu học Bắc Kạn"
            }
        }
        return values
    }

    func draft(complete: Bool = true, delivery: DeliveryMethod = .online) async throws -> Dossier {
        let service = dependencies.dossiers
        let dossier = try await service.createDraft(
            applicant: applicant, agencyCode: Self.agency, procedureCode: Self.procedure,
            input: .init(requestSummary: "Đăng ký dự tuyển", values: try await values(), deliveryMethod: delivery,
                         deliveryAddress: delivery == .post ? "Số 7 đường Trường Chinh, Bắc Kạn" : nil))
        if complete {
            let file = try await dependencies.fileStore.write(bytes: CatalogFixture.pdfBytes)
            for document in try await procedure.requiredDocuments where document.mandatory {
                try await service.addAttachment(dossierID: dossier.id, applicant: applicant, documentPosition: document.position,
                                                file: file, contentType: "application/pdf", displayName: "giay-to.pdf")
            }
        }
        return dossier
    }
}

@Suite("Dossier submission")
struct DossierSubmissionTests {
    @Test("Submitting gives the code <agency>-<YYMMDD>-<NNNN>, status 1, a history entry and an acknowledgement mail")
    func submit() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let filing = try await Filing.make(dependencies)
            let draft = try await filing.draft()
            #expect(draft.status == .draft && draft.code == nil)
            let date = Date(timeIntervalSince1970: 1_773_900_000)  // 2026-03-19 in Vietnam
            let submitted = try await dependencies.dossiers.submit(dossierID: draft.id, applicant: filing.applicant, at: date)
            #expect(submitted.status == .registered)
            #expect(submitted.code == "000.00.08.H06-\(DossierCode.day(at: date))-0001")
            let events = try await dependencies.dossiers.store.events(dossierID: draft.id)
            #expect(events.map(\.action) == [.submit] && events.first?.to == .registered)
            let mail = try await Outbox.recent(limit: 5, in: dependencies.database)
            #expect(mail.contains { $0.recipient == "an.nguyen@example.vn" && $0.subject.contains(submitted.code!) })
            // A second submit (double click, resent request) changes nothing and returns the same dossier.
            let again = try await dependencies.dossiers.submit(dossierID: draft.id, applicant: filing.applicant, at: date)
            #expect(again.code == submitted.code)
            #expect(try await dependencies.dossiers.store.events(dossierID: draft.id).count == 1)
        }
    }

    @Test("200 concurrent submissions to one agency get 200 distinct, consecutive codes")
    func concurrentCodes() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let filing = try await Filing.make(dependencies)
            var drafts: [Int64] = []
            for _ in 0..<200 { drafts.append(try await filing.draft().id) }
            let date = Date()
            let codes = try await withThrowingTaskGroup(of: String.self) { group in
                for id in drafts {
                    group.addTask { try await dependencies.dossiers.submit(dossierID: id, applicant: filing.applicant, at: date).code ?? "" }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(codes).count == 200)
            let prefix = "000.00.08.H06-\(DossierCode.day(at: date))-"
            #expect(Set(codes) == Set((1...200).map { prefix + String(format: "%04d", $0) }))
        }
    }

    @Test("Unverified accounts, missing documents, bad fields and the wrong kind of applicant cannot submit")
    func refusals() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let unverified = try await Filing.make(dependencies, email: "chua.xac.thuc@example.vn", verified: false)
            let draft = try await unverified.draft()
            await #expect(throws: DossierError.self) {
                _ = try await dependencies.dossiers.submit(dossierID: draft.id, applicant: unverified.applicant)
            }
            let filing = try await Filing.make(dependencies)
            let incomplete = try await filing.draft(complete: false)
            do {
                _ = try await dependencies.dossiers.submit(dossierID: incomplete.id, applicant: filing.applicant)
                Issue.record("an incomplete dossier was submitted")
            } catch DossierError.refused(let message) {
                #expect(message.contains("Còn thiếu giấy tờ bắt buộc"))
            }
            #expect(try await dependencies.dossiers.store.dossier(id: incomplete.id)?.status == .draft)
            do {
                _ = try await dependencies.dossiers.createDraft(
                    applicant: filing.applicant, agencyCode: Filing.agency, procedureCode: Filing.procedure,
                    input: .init(values: ["khong_co": "x"], deliveryMethod: .post))
                Issue.record("invalid fields were accepted")
            } catch DossierError.invalidFields(let errors) {
                #expect(errors["form"] != nil && errors["delivery_address"] != nil || errors["delivery_method"] != nil)
            }
            // Another citizen's draft: as if it did not exist.
            let other = try await Filing.make(dependencies, email: "nguoi.khac@example.vn")
            await #expect(throws: DossierError.notFound) {
                _ = try await dependencies.dossiers.submit(dossierID: draft.id, applicant: other.applicant)
            }
        }
    }

    @Test("A dossier can be withdrawn before the desk accepts it, not after")
    func withdraw() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let filing = try await Filing.make(dependencies)
            let first = try await dependencies.dossiers.submit(dossierID: try await filing.draft().id, applicant: filing.applicant)
            let withdrawn = try await dependencies.dossiers.withdraw(dossierID: first.id, applicant: filing.applicant, reason: "Nộp nhầm")
            #expect(withdrawn.status == .withdrawn)
            let second = try await dependencies.dossiers.submit(dossierID: try await filing.draft().id, applicant: filing.applicant)
            try await dependencies.database.transaction { try await $0.raw("UPDATE dossiers SET status = 2 WHERE id = \(bind: second.id)").run() }
            do {
                _ = try await dependencies.dossiers.withdraw(dossierID: second.id, applicant: filing.applicant, reason: "")
                Issue.record("an accepted dossier was withdrawn")
            } catch DossierError.conflict(let message) {
                #expect(message.contains("Đã tiếp nhận"))
            }
            #expect(try await dependencies.dossiers.store.dossier(id: second.id)?.status == .accepted)
        }
    }
}

@Suite("Public dossier lookup")
struct DossierLookupTests {
    @Test("Anyone can look a dossier up by code, and sees no personal data; unknown codes are limited per address")
    func lookup() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let catalog = CatalogReader(repository: SQLCatalogRepository(database: database))
            let dependencies = DossierService(database: database, catalog: catalog, publicURL: "http://127.0.0.1:8080")
            let applicant = try await database.transaction { db in
                try await UserStore.insert(NewUser(kind: .individual, email: "tra.cuu@example.vn", passwordHash: "-",
                                                   displayName: "Phạm Thị Riêng Tư", citizenID: "001099887766", phone: "0912345678",
                                                   address: "Số 9 phố Bí Mật", emailVerified: true), in: db)
            }
            let procedure = try #require(try await catalog.procedure(agencyCode: "000.00.07.H52", code: "2.000418"))
            var values: [String: String] = [:]
            for field in procedure.formFields { values[field.key] = field.options?.first ?? (field.type == .number ? "3" : field.type == .date ? "2026-01-01" : "Văn phòng") }
            let organization = try await database.transaction { db in
                try await UserStore.insert(NewUser(kind: .organization, email: "to.chuc@example.vn", passwordHash: "-",
                                                   displayName: "Trường THPT Chiềng Cơi Bí Mật", taxCode: "5500123456", representative: "Ẩn Danh",
                                                   phone: "0912345678", address: "Sơn La", emailVerified: true), in: db)
            }
            let filer = procedure.applicantTypes.contains(.organization) ? organization : applicant
            let draft = try await dependencies.createDraft(applicant: filer, agencyCode: "000.00.07.H52", procedureCode: "2.000418",
                                                           input: .init(values: values, deliveryMethod: procedure.resultDelivery.first))
            let file = StoredFile(sha256: String(repeating: "a", count: 64), size: 10)
            for document in procedure.requiredDocuments where document.mandatory {
                try await dependencies.addAttachment(dossierID: draft.id, applicant: filer, documentPosition: document.position,
                                                     file: file, contentType: "application/pdf", displayName: "a.pdf")
            }
            let code = try #require(try await dependencies.submit(dossierID: draft.id, applicant: filer).code)

            let page = try await browser.get("/tra-cuu?ma=\(code)")
            #expect(page.status == .ok)
            #expect(page.text.contains(procedure.name) && page.text.contains("Mới đăng ký, chờ tiếp nhận"))
            for secret in ["Bí Mật", "Riêng Tư", "Ẩn Danh", "5500123456", "001099887766", "to.chuc@example.vn"] {
                #expect(!page.text.contains(secret), "\(secret)")
            }
            let api = try await browser.get("/api/v1/dossiers/lookup?code=\(code)")
            #expect(api.status == .ok && api.text.contains("\"status\":1") && !api.text.contains("Bí Mật"))
            #expect(try await browser.get("/tra-cuu?ma=000.00.07.H52-260101-9999").status == .notFound)
            #expect(try await browser.get("/tra-cuu?ma=%27%20OR%201%3D1").status == .badRequest)
            for attempt in 0..<20 { _ = try await browser.get("/tra-cuu?ma=000.00.07.H52-260101-\(String(format: "%04d", 5000 + attempt))") }
            let limited = try await browser.get("/tra-cuu?ma=\(code)")
            #expect(limited.status == .tooManyRequests && limited.text.contains("tra cứu sai nhiều lần"))
        }
    }
}

@Suite("Draft cleanup")
struct DraftCleanupTests {
    @Test("Stale drafts go; their files stay until the sweep finds no row using them (after its grace); shared files stay")
    func cleanup() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let db = dependencies.database
            let applicant = try await db.transaction { db in
                try await UserStore.insert(NewUser(kind: .individual, email: "nhap@example.vn", passwordHash: "-", displayName: "A",
                                                   citizenID: "001234567890", phone: "0912345678", address: "X", emailVerified: true), in: db)
            }
            let service = dependencies.dossiers
            var values: [String: String] = [:]
            let procedure = try #require(try await dependencies.catalogReader.procedure(agencyCode: "000.00.08.H06", code: "1.005384"))
            for field in procedure.formFields { values[field.key] = field.options?.first ?? (field.type == .number ? "2" : field.type == .date ? "2026-12-01" : "X") }
            let input = DraftInput(values: values, deliveryMethod: .online)
            let stale = try await service.createDraft(applicant: applicant, agencyCode: "000.00.08.H06", procedureCode: "1.005384", input: input)
            let fresh = try await service.createDraft(applicant: applicant, agencyCode: "000.00.08.H06", procedureCode: "1.005384", input: input)
            let own = try await dependencies.fileStore.write(bytes: Array("%PDF-1.4 only mine %%EOF".utf8))
            let shared = try await dependencies.fileStore.write(bytes: Array("%PDF-1.4 shared %%EOF".utf8))
            for (dossier, file) in [(stale, own), (stale, shared), (fresh, shared)] {
                try await service.addAttachment(dossierID: dossier.id, applicant: applicant, documentPosition: 0, file: file,
                                                contentType: "application/pdf", displayName: "a.pdf")
            }
            try await db.transaction { try await $0.raw("UPDATE dossiers SET updated_at = 0 WHERE id = \(bind: stale.id)").run() }
            let cleanup = DraftCleanup(database: db, fileStore: dependencies.fileStore, logger: TestEnvironment.logger)
            #expect(try await cleanup.removeStaleDrafts() == 1)
            #expect(try await service.store.dossier(id: stale.id) == nil)
            #expect(try await service.store.dossier(id: fresh.id) != nil)
            // Not at once: a new upload of the same bytes (files are named by content) may be on its way to its commit.
            #expect(await dependencies.fileStore.exists(sha256: own.sha256) == true)
            #expect(try await cleanup.sweepFiles(grace: .seconds(3600)).orphans == 0)
            #expect(await dependencies.fileStore.exists(sha256: own.sha256) == true)
            // Past the grace period the sweep removes the file no row uses, and keeps the shared one.
            #expect(try await cleanup.sweepFiles(grace: .zero, now: Date().addingTimeInterval(1)).orphans == 1)
            #expect(await dependencies.fileStore.exists(sha256: own.sha256) == false)
            #expect(await dependencies.fileStore.exists(sha256: shared.sha256) == true)
            #expect(try await cleanup.removeStaleDrafts() == 0)
        }
    }
}
