import Foundation
import HTTPTypes
import NIOCore
import SQLKit
import Testing

@testable import MotCua

@Suite("Catalog import")
struct CatalogImportTests {
    @Test("The demo catalog holds the four agencies and every procedure the seeds name")
    func demoCatalog() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let agencies = try await dependencies.catalog.agencies()
            #expect(Set(agencies.map(\.province)) == ["Sơn La", "Hồ Chí Minh", "Bắc Kạn", "Cần Thơ"])
            let summaries = try await dependencies.catalog.summaries()
            #expect(summaries.count == 32)
            let perAgency = Dictionary(grouping: summaries, by: \.agencyCode).mapValues(\.count)
            #expect(perAgency == ["000.00.07.H52": 10, "000.00.06.H29": 4, "000.00.08.H06": 10, "000.00.09.H13": 8])
            let canTho = try #require(summaries.first { $0.agencyCode == "000.00.09.H13" && $0.name.contains("Nâng ngạch lương công chức cấp xã") })
            #expect(canTho.totalFee == 100_000)
            #expect(summaries.filter { $0.agencyCode == "000.00.08.H06" }.allSatisfy { $0.onlineOnly && $0.onlineLevel == .partial })
        }
    }

    @Test("Importing the same file twice updates and never duplicates")
    func reimportUpdates() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let url = try CatalogFixture.write(CatalogFixture.file(procedures: [
                CatalogFixture.procedure(code: "9.000001"), CatalogFixture.procedure(code: "9.000002", name: "Thủ tục thứ hai"),
            ]))
            let first = try await dependencies.importer.importFile(at: url)
            #expect(first.proceduresCreated == 2 && first.proceduresUpdated == 0)
            let second = try await dependencies.importer.importFile(at: url)
            #expect(second.proceduresCreated == 0 && second.proceduresUpdated == 2)
            #expect(try await dependencies.catalog.summaries().count == 2)
            #expect(try await dependencies.catalog.agencies().count == 1)

            let renamed = try CatalogFixture.write(CatalogFixture.file(procedures: [
                CatalogFixture.procedure(code: "9.000001", name: "Tên mới của thủ tục"),
            ]))
            _ = try await dependencies.importer.importFile(at: renamed)
            let procedure = try await dependencies.catalog.procedure(agencyCode: CatalogFixture.agencyCode, code: "9.000001")
            #expect(procedure?.name == "Tên mới của thủ tục")
            #expect(try await dependencies.catalog.summaries().count == 2)
        }
    }

    @Test("Every problem is reported with its entry and field, and nothing is written")
    func invalidFileWritesNothing() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            var missingName = CatalogFixture.procedure(code: "9.000003")
            missingName["name"] = "   "
            let catalog = CatalogFixture.file(
                agencies: [CatalogFixture.agency(), CatalogFixture.agency(code: "bad code!")],
                procedures: [
                    CatalogFixture.procedure(code: "9.000001"),
                    CatalogFixture.procedure(code: "9.000001"),
                    CatalogFixture.procedure(code: "9.000002", agencyCode: "000.00.77.H77"),
                    missingName,
                    CatalogFixture.procedure(code: "9.000004", fees: [["description": "Lệ phí", "amount": -5]]),
                ])
            let url = try CatalogFixture.write(catalog)
            let error = try await #require(throws: CatalogValidationError.self) {
                try await dependencies.importer.importFile(at: url)
            }
            let paths = Set(error.problems.map(\.path))
            #expect(paths.isSuperset(of: [
                "agencies[1].code", "procedures[1].code", "procedures[2].agencyCode", "procedures[3].name",
                "procedures[4].fees[0].amount",
            ]))
            #expect(error.problems.first { $0.path == "procedures[4].fees[0].amount" }?.message.contains("âm") == true)
            #expect(try await dependencies.catalog.summaries().isEmpty)
            #expect(try await dependencies.catalog.agencies().isEmpty)
            #expect(try await dependencies.catalog.version() == 0)
        }
    }

    @Test("Malformed JSON and wrong types are reported with their location")
    func malformedJSON() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            var wrongType = CatalogFixture.procedure()
            wrongType["processingDays"] = "mười"
            let url = try CatalogFixture.write(CatalogFixture.file(procedures: [wrongType]))
            let error = try await #require(throws: CatalogValidationError.self) {
                try await dependencies.importer.importFile(at: url)
            }
            #expect(error.problems.map(\.path) == ["procedures[0].processingDays"])

            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).json")
            try Data("{ \"formatVersion\": 1, ".utf8).write(to: directory)
            await #expect(throws: CatalogValidationError.self) { try await dependencies.importer.importFile(at: directory) }
        }
    }

    @Test("Template files are attached, and paths outside the catalog's folder are refused")
    func templates() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let good = try CatalogFixture.write(
                CatalogFixture.file(procedures: [CatalogFixture.procedure(templates: [["name": "Mẫu đơn", "file": "mau/don.pdf"]])]),
                extraFiles: ["mau/don.pdf": CatalogFixture.pdfBytes])
            _ = try await dependencies.importer.importFile(at: good)
            let procedure = try #require(try await dependencies.catalog.procedure(agencyCode: CatalogFixture.agencyCode, code: "9.000001"))
            let template = try #require(procedure.formTemplates.first)
            #expect(template.fileName == "don.pdf" && template.contentType == "application/pdf")
            let stored = try await dependencies.fileStore.read(sha256: template.sha256)
            #expect(Array(stored.readableBytesView) == CatalogFixture.pdfBytes)

            for path in ["../secret.pdf", "/etc/passwd.pdf", "mau//don.pdf", "mau/don.exe"] {
                let bad = try CatalogFixture.write(
                    CatalogFixture.file(procedures: [CatalogFixture.procedure(code: "9.000002", templates: [["name": "Mẫu", "file": path]])]))
                let error = try await #require(throws: CatalogValidationError.self) {
                    try await dependencies.importer.importFile(at: bad)
                }
                #expect(error.problems.map(\.path) == ["procedures[0].formTemplates[0].file"], "path \(path)")
            }
        }
    }
}
