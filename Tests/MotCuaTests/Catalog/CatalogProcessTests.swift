import Foundation
import HTTPTypes
import NIOCore
import HummingbirdTesting
import SQLKit
import Testing

@testable import MotCua

/// The process model of the catalog (issue 11, point 1): timed steps whose allowances add up to the
/// processing time, refused whole when they do not, stored with their units, shown and served.
@Suite("Catalog process")
struct CatalogProcessTests {

    /// Imports a catalog with one procedure and returns the problems it was refused with.
    private static func refusal(_ procedure: [String: Any], in dependencies: AppDependencies) async throws -> [CatalogProblem] {
        let url = try CatalogFixture.write(CatalogFixture.file(procedures: [procedure]))
        let error = try await #require(throws: CatalogValidationError.self) {
            try await dependencies.importer.importFile(at: url)
        }
        return error.problems
    }

    private static func unitNames(_ dependencies: AppDependencies, agencyCode: String) async throws -> Set<String> {
        try await dependencies.database.read { db in
            Set(try await db.raw("""
                SELECT u.name FROM units u JOIN agencies a ON a.id = u.agency_id WHERE a.code = \(bind: agencyCode)
                """).all().map { try $0.decode(column: "name", as: String.self) })
        }
    }

    private static func expectNothingWritten(_ dependencies: AppDependencies) async throws {
        #expect(try await dependencies.catalog.summaries().isEmpty)
        #expect(try await dependencies.catalog.agencies().isEmpty)
        #expect(try await dependencies.catalog.version() == 0)
        let units = try await dependencies.database.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM units").first()?.decode(column: "n", as: Int.self)
        }
        #expect(units == 0)
    }

    @Test("A process whose days do not add up to the processing time is refused, naming the process")
    func sumDiffers() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            var process = CatalogFixture.defaultProcess
            process[1]["days"] = 7.0
            let problems = try await Self.refusal(CatalogFixture.procedure(process: process), in: dependencies)
            #expect(problems.map(\.path) == ["procedures[0].process"])
            let message = try #require(problems.first?.message)
            #expect(message.contains("9,5 ngày") && message.contains("10 ngày"), "\(message)")
            try await Self.expectNothingWritten(dependencies)

            // Every entry is checked: the second procedure's sum is reported at its own index.
            let url = try CatalogFixture.write(CatalogFixture.file(procedures: [
                CatalogFixture.procedure(code: "9.000001"),
                CatalogFixture.procedure(code: "9.000002", processingDays: 15),
            ]))
            let error = try await #require(throws: CatalogValidationError.self) {
                try await dependencies.importer.importFile(at: url)
            }
            #expect(error.problems.map(\.path) == ["procedures[1].process"])
            #expect(error.problems.first?.message.contains("(10 ngày) phải bằng thời hạn giải quyết (15 ngày)") == true)
            try await Self.expectNothingWritten(dependencies)
        }
    }

    @Test("A step's days must be more than 0 and in half days", arguments: [0.3, 0, -1, 1.25, 400])
    func badDays(days: Double) async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            var process = CatalogFixture.defaultProcess
            process[1]["days"] = days
            let problems = try await Self.refusal(CatalogFixture.procedure(process: process), in: dependencies)
            #expect(problems.map(\.path) == ["procedures[0].process[1].days"], "days \(days)")
            try await Self.expectNothingWritten(dependencies)
        }
    }

    @Test("Days written as text and a missing days are reported at the step")
    func daysNotANumber() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            var process = CatalogFixture.defaultProcess
            process[2]["days"] = "1,5"
            var problems = try await Self.refusal(CatalogFixture.procedure(process: process), in: dependencies)
            #expect(problems.map(\.path) == ["procedures[0].process[2].days"])

            process[2].removeValue(forKey: "days")
            problems = try await Self.refusal(CatalogFixture.procedure(process: process), in: dependencies)
            #expect(problems.map(\.path) == ["procedures[0].process[2].days"])
            try await Self.expectNothingWritten(dependencies)
        }
    }

    @Test("A role other than receptionist, processor or leader is refused", arguments: ["chef", "agency_admin", "system_admin", ""])
    func unknownRole(role: String) async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            var process = CatalogFixture.defaultProcess
            process[1]["role"] = role
            let problems = try await Self.refusal(CatalogFixture.procedure(process: process), in: dependencies)
            #expect(problems.map(\.path) == ["procedures[0].process[1].role"], "role \(role)")
            #expect(problems.first?.message.contains("receptionist, processor, leader") == true)
            try await Self.expectNothingWritten(dependencies)
        }
    }

    @Test("A procedure without a process is refused")
    func missingProcess() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            var procedure = CatalogFixture.procedure()
            procedure.removeValue(forKey: "process")
            var problems = try await Self.refusal(procedure, in: dependencies)
            #expect(problems.map(\.path) == ["procedures[0].process"])

            problems = try await Self.refusal(CatalogFixture.procedure(process: []), in: dependencies)
            #expect(problems.map(\.path) == ["procedures[0].process"])
            try await Self.expectNothingWritten(dependencies)
        }
    }

    @Test("The desk receives first and returns last, a leader approves, and every step is named")
    func structure() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let reception = CatalogFixture.receptionUnit, processing = CatalogFixture.processingUnit
            let leadership = CatalogFixture.leadershipUnit
            let cases: [([[String: Any]], Set<String>)] = [
                // One step only: too short, and not the desk's.
                ([CatalogFixture.step("Xử lý", leadership, "leader", 10)], ["procedures[0].process", "procedures[0].process[0].role"]),
                // The processor receives.
                ([CatalogFixture.step("Tiếp nhận", processing, "processor", 0.5), CatalogFixture.step("Thẩm định", processing, "processor", 8),
                  CatalogFixture.step("Phê duyệt", leadership, "leader", 1), CatalogFixture.step("Trả", reception, "receptionist", 0.5)],
                 ["procedures[0].process[0].role"]),
                // A leader returns the result.
                ([CatalogFixture.step("Tiếp nhận", reception, "receptionist", 0.5), CatalogFixture.step("Thẩm định", processing, "processor", 8),
                  CatalogFixture.step("Phê duyệt và trả", leadership, "leader", 1.5)],
                 ["procedures[0].process[2].role"]),
                // Nobody approves.
                ([CatalogFixture.step("Tiếp nhận", reception, "receptionist", 0.5), CatalogFixture.step("Thẩm định", processing, "processor", 9),
                  CatalogFixture.step("Trả", reception, "receptionist", 0.5)],
                 ["procedures[0].process"]),
                // Empty and too long names and units.
                ([CatalogFixture.step("Tiếp nhận", reception, "receptionist", 0.5), CatalogFixture.step("  ", processing, "processor", 7.5),
                  CatalogFixture.step("Phê duyệt", String(repeating: "P", count: 201), "leader", 1.5), CatalogFixture.step("Trả", "", "receptionist", 0.5)],
                 ["procedures[0].process[1].name", "procedures[0].process[2].unit", "procedures[0].process[3].unit"]),
            ]
            for (process, paths) in cases {
                let problems = try await Self.refusal(CatalogFixture.procedure(process: process), in: dependencies)
                #expect(Set(problems.map(\.path)) == paths)
            }
            let noLeader = try await Self.refusal(CatalogFixture.procedure(process: cases[3].0), in: dependencies)
            #expect(noLeader.first?.message.contains("leader") == true)
            try await Self.expectNothingWritten(dependencies)
        }
    }

    @Test("A valid import stores the process and creates its units, never deleting one")
    func storesProcessAndUnits() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let url = try CatalogFixture.write(CatalogFixture.file(procedures: [
                CatalogFixture.procedure(code: "9.000001"), CatalogFixture.procedure(code: "9.000002"),
            ]))
            _ = try await dependencies.importer.importFile(at: url)
            let procedure = try #require(try await dependencies.catalog.procedure(agencyCode: CatalogFixture.agencyCode, code: "9.000001"))
            #expect(procedure.process == [
                ProcessStep(name: "Tiếp nhận, kiểm tra hồ sơ", unit: CatalogFixture.receptionUnit, role: .receptionist, halfDays: 1),
                ProcessStep(name: "Thẩm định hồ sơ, dự thảo kết quả", unit: CatalogFixture.processingUnit, role: .processor, halfDays: 15),
                ProcessStep(name: "Lãnh đạo Sở xem xét, phê duyệt", unit: CatalogFixture.leadershipUnit, role: .leader, halfDays: 3),
                ProcessStep(name: "Trả kết quả", unit: CatalogFixture.receptionUnit, role: .receptionist, halfDays: 1),
            ])
            #expect(procedure.process.reduce(0) { $0 + $1.halfDays } == procedure.processingDays * 2)
            #expect(try await Self.unitNames(dependencies, agencyCode: CatalogFixture.agencyCode)
                == [CatalogFixture.receptionUnit, CatalogFixture.processingUnit, CatalogFixture.leadershipUnit])

            // Re-importing with another unit replaces the process and adds the unit; the old unit stays.
            var process = CatalogFixture.defaultProcess
            process[1]["unit"] = "Phòng Tổ chức bộ máy"
            let moved = try CatalogFixture.write(CatalogFixture.file(procedures: [
                CatalogFixture.procedure(code: "9.000001", process: process),
            ]))
            _ = try await dependencies.importer.importFile(at: moved)
            let updated = try #require(try await dependencies.catalog.procedure(agencyCode: CatalogFixture.agencyCode, code: "9.000001"))
            #expect(updated.process[1].unit == "Phòng Tổ chức bộ máy")
            #expect(try await Self.unitNames(dependencies, agencyCode: CatalogFixture.agencyCode) == [
                CatalogFixture.receptionUnit, CatalogFixture.processingUnit, CatalogFixture.leadershipUnit, "Phòng Tổ chức bộ máy",
            ])
            // Units are per agency: a second agency gets its own rows with the same names.
            let other = try CatalogFixture.write(CatalogFixture.file(
                agencies: [CatalogFixture.agency(code: "000.00.43.H98", name: "Sở Nội vụ tỉnh Khác")],
                procedures: [CatalogFixture.procedure(code: "9.000001", agencyCode: "000.00.43.H98")]))
            _ = try await dependencies.importer.importFile(at: other)
            #expect(try await Self.unitNames(dependencies, agencyCode: "000.00.43.H98")
                == [CatalogFixture.receptionUnit, CatalogFixture.processingUnit, CatalogFixture.leadershipUnit])
        }
    }

    @Test("Every demo procedure has a process from the desk to the desk, adding up to its processing time")
    func demoCatalog() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let units: Set<String> = [
                "Bộ phận tiếp nhận và trả kết quả", "Lãnh đạo Sở", "Phòng Công chức, viên chức", "Phòng Tổ chức bộ máy",
                "Phòng Xây dựng chính quyền và công tác thanh niên", "Ban Thi đua – Khen thưởng", "Ban Tôn giáo",
                "Chi cục Văn thư – Lưu trữ",
            ]
            let summaries = try await dependencies.catalog.summaries()
            #expect(summaries.count == 32)
            var daysSeen = Set<Int>()
            for summary in summaries {
                let procedure = try #require(try await dependencies.catalog.procedure(agencyCode: summary.agencyCode, code: summary.code))
                let process = procedure.process
                #expect(process.count >= 4, "\(summary.code)")
                #expect(process.first?.role == .receptionist && process.last?.role == .receptionist, "\(summary.code)")
                #expect(process.contains { $0.role == .leader }, "\(summary.code)")
                #expect(process.reduce(0) { $0 + $1.halfDays } == procedure.processingDays * 2, "\(summary.code)")
                #expect(process.allSatisfy { units.contains($0.unit) && !$0.name.isEmpty && $0.halfDays > 0 }, "\(summary.code)")
                daysSeen.insert(procedure.processingDays)
                let agencyUnits = try await Self.unitNames(dependencies, agencyCode: summary.agencyCode)
                #expect(agencyUnits.isSuperset(of: process.map(\.unit)), "\(summary.code)")
            }
            #expect(daysSeen == [7, 10, 15, 20, 30])
        }
    }

    @Test("The Quy trình tab shows the process table with units, half days and the total")
    func page() async throws {
        try await TestEnvironment.withApp { client in
            let response = try await client.execute(uri: "/thu-tuc/000.00.08.H06/1.005384?tab=quy-trinh", method: .get)
            #expect(response.status == .ok)
            let html = response.text
            #expect(html.contains("class=\"process-steps\""))  // how to file stays
            #expect(html.contains("<caption>"))
            for header in ["Bước", "Nội dung", "Đơn vị thực hiện", "Thời gian"] {
                #expect(html.contains("<th scope=\"col\">\(header)</th>"), "\(header)")
            }
            #expect(html.contains("<th scope=\"row\">1</th><td>Tiếp nhận, kiểm tra hồ sơ</td><td>Bộ phận tiếp nhận và trả kết quả</td><td>0,5 ngày làm việc</td>"))
            #expect(html.contains("Phòng Công chức, viên chức") && html.contains("Lãnh đạo Sở"))
            #expect(html.contains("23,5 ngày làm việc") && html.contains("3,5 ngày làm việc"))
            #expect(html.contains("Tổng thời gian: 30 ngày làm việc"))

            // Only the process tab holds the table.
            let general = try await client.execute(uri: "/thu-tuc/000.00.08.H06/1.005384", method: .get).text
            #expect(!general.contains("Tổng thời gian:"))
        }
    }

    @Test("The API serves the process with days as numbers")
    func api() async throws {
        struct Body: Decodable {
            struct StepBody: Decodable { var name: String; var unit: String; var role: String; var days: Double }
            var processingDays: Int
            var process: [StepBody]
        }
        try await TestEnvironment.withApp { client in
            let response = try await client.execute(uri: "/api/v1/procedures/000.00.09.H13/1.003923", method: .get)
            #expect(response.status == .ok)
            #expect(response.text.contains("\"days\":0.5"))
            let body = try response.json(Body.self)
            #expect(body.processingDays == 7)
            #expect(body.process.first?.days == 0.5 && body.process.first?.role == "receptionist")
            #expect(body.process.first?.unit == "Bộ phận tiếp nhận và trả kết quả")
            #expect(body.process.map(\.role) == ["receptionist", "processor", "leader", "receptionist"])
            #expect(body.process.map(\.days) == [0.5, 5, 1, 0.5])
            #expect(body.process.reduce(0) { $0 + $1.days } == 7)
        }
    }
}
