import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// A verified citizen with an API token, on a running app.
struct APICitizen {
    let token: String
    let user: User

    static func make(_ database: any Database, email: String, citizenID: String) async throws -> APICitizen {
        let user = try await database.transaction { db in
            try await UserStore.insert(NewUser(kind: .individual, email: email, passwordHash: "-", displayName: "Công dân \(email)",
                                               citizenID: citizenID, phone: "0912345678", address: "Bắc Kạn", emailVerified: true), in: db)
        }
        return APICitizen(token: try await APITokenStore(database: database).create(userID: user.id, name: "test"), user: user)
    }

    var auth: HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }
}

private struct DossierBody: Decodable {
    struct File: Decodable { var id: Int64; var downloadUrl: String; var displayName: String }
    var id: Int64
    var code: String?
    var status: Int
    var files: [File]
}

private let pdf = Array("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)

@Suite("Dossier API")
struct DossierAPITests {
    /// Creates a draft of Bắc Kạn's "thi tuyển công chức" with valid field values.
    private func createDraft(_ browser: BrowserClient, _ citizen: APICitizen, database: any Database) async throws -> DossierBody {
        let procedure = try #require(try await CatalogReader(repository: SQLCatalogRepository(database: database))
            .procedure(agencyCode: "000.00.08.H06", code: "1.005384"))
        var values: [String: String] = [:]
        for field in procedure.formFields {
            values[field.key] = field.options?.first ?? (field.type == .number ? "2" : field.type == .date ? "2026-12-01" : "Trường Tiểu học")
        }
        let body = try JSONSerialization.data(withJSONObject: [
            "agencyCode": "000.00.08.H06", "procedureCode": "1.005384", "requestSummary": "Dự tuyển", "values": values,
            "deliveryMethod": "online",
        ])
        let response = try await browser.client.execute(uri: "/api/v1/dossiers", method: .post, headers: citizen.auth, body: ByteBuffer(bytes: body))
        #expect(response.status == .created)
        return try response.json(DossierBody.self)
    }

    private func upload(_ browser: BrowserClient, _ citizen: APICitizen, dossier: Int64, position: Int, bytes: [UInt8], name: String = "don.pdf") async throws -> TestResponse {
        var headers = citizen.auth
        headers[.contentType] = "application/octet-stream"
        headers[.fileName] = name
        return try await browser.client.execute(uri: "/api/v1/dossiers/\(dossier)/documents/\(position)/files", method: .put,
                                                headers: headers, body: ByteBuffer(bytes: bytes))
    }

    @Test("Create, attach every mandatory document, submit, list, read, download")
    func fullFiling() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let citizen = try await APICitizen.make(database, email: "api@example.vn", citizenID: "001111222333")
            let draft = try await createDraft(browser, citizen, database: database)
            let procedure = try #require(try await CatalogReader(repository: SQLCatalogRepository(database: database))
                .procedure(agencyCode: "000.00.08.H06", code: "1.005384"))
            let early = try await browser.client.execute(uri: "/api/v1/dossiers/\(draft.id)/submit", method: .post, headers: citizen.auth)
            #expect(early.status == .unprocessableContent && early.text.contains("Còn thiếu giấy tờ bắt buộc"))
            for document in procedure.requiredDocuments where document.mandatory {
                let response = try await upload(browser, citizen, dossier: draft.id, position: document.position + 1, bytes: pdf,
                                                name: "..%2F..%2Fetc%2F%C4%90%C6%A1n%07.pdf")
                #expect(response.status == .created)
                #expect(!response.text.contains("..") && response.text.contains("Đơn.pdf"))
            }
            let submitted = try await browser.client.execute(uri: "/api/v1/dossiers/\(draft.id)/submit", method: .post, headers: citizen.auth)
            #expect(submitted.status == .ok)
            let body = try submitted.json(DossierBody.self)
            #expect(body.status == 1 && body.code?.hasPrefix("000.00.08.H06-") == true)
            let list = try await browser.client.execute(uri: "/api/v1/dossiers?status=1", method: .get, headers: citizen.auth)
            #expect(list.status == .ok && list.text.contains(body.code!))
            let file = try #require(body.files.first)
            let download = try await browser.client.execute(uri: file.downloadUrl, method: .get, headers: citizen.auth)
            #expect(download.status == .ok && download.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
            #expect(download.headers[.xContentTypeOptions] == "nosniff")
            #expect(Array(download.body.readableBytesView) == pdf)
        }
    }

    @Test("Files are recognised by their bytes: renamed executables, truncated PDFs, empty and oversized files are refused and nothing is kept", arguments: [
        ("exe", UploadBytes(Array("MZ\u{90}\u{0}This program cannot be run in DOS mode".utf8)), HTTPResponse.Status.unsupportedMediaType),
        ("truncated", UploadBytes(Array("%PDF-1.4\n1 0 obj<<>>endobj\n".utf8)), .unsupportedMediaType),
        ("empty", UploadBytes([]), .unsupportedMediaType),
        ("html", UploadBytes(Array("<html><script>alert(1)</script></html>".utf8)), .unsupportedMediaType),
        ("oversized", UploadBytes(pdf + [UInt8](repeating: 0x20, count: 2 * 1_048_576) + Array("%%EOF\n".utf8)), .contentTooLarge),
    ])
    func uploadAttacks(label: String, body: UploadBytes, status: HTTPResponse.Status) async throws {
        let bytes = body.bytes
        try await TestEnvironment.withAppAndDatabase(configure: { $0.maxFileBytes = 1_048_576 }) { browser, _, database in
            let citizen = try await APICitizen.make(database, email: "api@example.vn", citizenID: "001111222333")
            let draft = try await createDraft(browser, citizen, database: database)
            let response = try await upload(browser, citizen, dossier: draft.id, position: 1, bytes: bytes, name: "giay-to.pdf")
            #expect(response.status == status, "\(label)")
            #expect(response.headers[.contentType] == "application/problem+json")
            let rows = try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM dossier_attachments").first()!.decode(column: "n", as: Int.self) }
            #expect(rows == 0)
        }
    }

    @Test("Another citizen's dossier does not exist for them; anonymous callers are refused")
    func isolation() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let owner = try await APICitizen.make(database, email: "chu@example.vn", citizenID: "001111222333")
            let other = try await APICitizen.make(database, email: "khac@example.vn", citizenID: "001111222444")
            let draft = try await createDraft(browser, owner, database: database)
            #expect(try await upload(browser, owner, dossier: draft.id, position: 1, bytes: pdf).status == .created)
            let fileID = try #require(try await browser.client.execute(uri: "/api/v1/dossiers/\(draft.id)", method: .get, headers: owner.auth)
                .json(DossierBody.self).files.first?.id)
            for (uri, method) in [("/api/v1/dossiers/\(draft.id)", HTTPRequest.Method.get), ("/api/v1/dossiers/\(draft.id)/submit", .post),
                                  ("/api/v1/dossiers/\(draft.id)/withdraw", .post), ("/api/v1/dossiers/\(draft.id)/attachments/\(fileID)", .get)] {
                let response = try await browser.client.execute(uri: uri, method: method, headers: other.auth)
                #expect(response.status == .notFound, "\(method) \(uri)")
                let anonymous = try await browser.client.execute(uri: uri, method: method)
                #expect(anonymous.status == .unauthorized, "anonymous \(method) \(uri)")
            }
            #expect(try await upload(browser, other, dossier: draft.id, position: 1, bytes: pdf).status == .notFound)
            #expect(!(try await browser.client.execute(uri: "/api/v1/dossiers", method: .get, headers: other.auth).text.contains("\"id\":\(draft.id)")))
        }
    }
}

@Suite("Procedures open to me")
struct OpenProceduresTests {
    struct Items: Decodable {
        struct Item: Decodable { var code: String; var agencyCode: String; var applicantTypes: [String] }
        var items: [Item]
    }

    @Test("An individual sees only procedures individuals may file; staff see none")
    func openToMe() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let citizen = try await APICitizen.make(database, email: "mo@example.vn", citizenID: "001111222555")
            let response = try await browser.client.execute(uri: "/api/v1/me/procedures", method: .get, headers: citizen.auth)
            #expect(response.status == .ok)
            let items = try response.json(Items.self).items
            #expect(!items.isEmpty && items.allSatisfy { $0.applicantTypes.contains("individual") })
            #expect(items.contains { $0.agencyCode == "000.00.08.H06" && $0.code == "1.005384" })
            let all = try await CatalogReader(repository: SQLCatalogRepository(database: database)).snapshot().index.entries
            #expect(items.count == all.filter { $0.applicantTypes.contains(.individual) }.count && items.count < all.count)

            let staff = try await database.transaction { db in
                try await UserStore.insert(NewUser(kind: .staff, email: "cb@example.vn", passwordHash: "-", displayName: "Cán bộ",
                                                   role: .receptionist, agencyCode: "000.00.07.H52", emailVerified: true), in: db)
            }
            let token = try await APITokenStore(database: database).create(userID: staff.id, name: "t")
            let staffList = try await browser.client.execute(uri: "/api/v1/me/procedures", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(try staffList.json(Items.self).items.isEmpty)
        }
    }
}

/// A file's bytes as a test argument, shown in the test log by its size: Swift Testing prints an argument's
/// description, and the 2 MB "oversized" upload made the log of a whole run 8 MB of numbers.
struct UploadBytes: Sendable, CustomTestStringConvertible {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var testDescription: String { "\(bytes.count) bytes" }
}
