import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

private let sonLa = "000.00.07.H52"
private let canTho = "000.00.09.H13"
private let password = "Don-vi-2026-abc"

private func service(_ database: any Database) -> AccountService {
    AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                   publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
}

/// Creates a staff account with the test password and returns it.
@discardableResult
private func staff(_ database: any Database, _ email: String, _ role: StaffRole, _ agency: String?, name: String = "Cán bộ",
                   unit: String? = nil) async throws -> User {
    try await service(database).createStaff(email: email, name: name, role: role, agencyCode: agency, password: password,
                                            unitName: unit).0
}

private func signIn(_ browser: BrowserClient, _ email: String) async throws {
    let response = try await browser.post("/dang-nhap", ["email": email, "password": password])
    #expect(response.status == .seeOther, "sign-in of \(email)")
}

private func unitID(_ database: any Database, _ name: String, agency: String = sonLa) async throws -> Int64 {
    try #require(try await UnitStore(database: database).units(agencyCode: agency).first { $0.name == name }?.id)
}

private func unitCount(_ database: any Database) async throws -> Int {
    try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM units").first()?.decode(column: "n", as: Int.self) ?? 0 }
}

@Suite("Units and people")
struct UnitTests {
    @Test("The demo start gives each demo agency its units, and each demo account its unit and headship")
    func demoUnits() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let store = UnitStore(database: dependencies.database)
            let units = try await store.units(agencyCode: sonLa)
            #expect(Set(DemoOrganization.unitNames).isSubset(of: Set(units.map(\.name))))
            let users = dependencies.accounts.users
            func user(_ email: String) async throws -> User {
                try #require(try await users.credentials(email: email)?.user)
            }
            func unit(_ name: String) throws -> AgencyUnit { try #require(units.first { $0.name == name }) }
            let desk = try await user("tiepnhan.h52@motcua.demo")
            let processor = try await user("chuyenvien.h52@motcua.demo")
            let head = try await user("truongphong.h52@motcua.demo")
            let leader = try await user("lanhdao.h52@motcua.demo")
            let admin = try await user("quantri.h52@motcua.demo")
            #expect(desk.unitID == (try unit("Bộ phận tiếp nhận và trả kết quả").id))
            #expect(try unit("Bộ phận tiếp nhận và trả kết quả").headUserID == desk.id)
            let office = try unit("Phòng Công chức, viên chức")
            #expect(processor.unitID == office.id && processor.role == .processor)
            #expect(head.role == .processor && head.displayName == "Trưởng phòng Công chức, viên chức – Sơn La")
            #expect(try unit("Phòng Công chức, viên chức").headUserID == head.id)
            #expect(try unit("Phòng Công chức, viên chức").memberCount == 2)
            let leadership = try unit("Lãnh đạo Sở")
            #expect(leader.unitID == leadership.id && leadership.headUserID == leader.id)
            #expect(admin.unitID == nil && admin.role == .agencyAdmin)
            // Every demo agency, not only Sơn La.
            for agency in try await dependencies.catalog.agencies() {
                #expect(try await store.units(agencyCode: agency.code).filter { $0.headUserID != nil }.count >= 3)
            }
        }
    }

    @Test("An administrator creates, renames and heads units; a duplicate or empty name is refused with nothing changed")
    func createRenameAndHead() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            try await staff(database, "qt@example.vn", .agencyAdmin, sonLa)
            let processor = try await staff(database, "cv@example.vn", .processor, sonLa, name: "Chuyên viên Thử")
            let foreign = try await staff(database, "cv.ct@example.vn", .processor, canTho, name: "Chuyên viên Cần Thơ")
            try await signIn(browser, "qt@example.vn")

            let page = try await browser.get("/quan-tri/don-vi")
            #expect(page.status == .ok && page.text.contains("Phòng Công chức, viên chức") && page.text.contains("Thêm đơn vị"))
            #expect(page.text.contains("href=\"/quan-tri/don-vi\" aria-current=\"page\""))

            let created = try await browser.post("/quan-tri/don-vi", ["name": "  Phòng   Thí điểm  "])
            #expect(created.status == .seeOther && created.headers[.location] == "/quan-tri/don-vi?thong-bao=da-tao")
            #expect(try await browser.get("/quan-tri/don-vi?thong-bao=da-tao").text.contains("Đã tạo đơn vị."))
            let id = try await unitID(database, "Phòng Thí điểm")
            let before = try await unitCount(database)

            let duplicate = try await browser.post("/quan-tri/don-vi", ["name": "Phòng Thí điểm"])
            #expect(duplicate.status == .conflict && duplicate.text.contains("Cơ quan đã có đơn vị tên “Phòng Thí điểm”."))
            #expect(duplicate.text.contains("id=\"name-loi\""))  // beside the field
            let empty = try await browser.post("/quan-tri/don-vi", ["name": "   "])
            #expect(empty.status == .unprocessableContent && empty.text.contains("Vui lòng nhập tên đơn vị."))
            let long = try await browser.post("/quan-tri/don-vi", ["name": String(repeating: "á", count: 201)])
            #expect(long.status == .unprocessableContent)
            #expect(try await unitCount(database) == before)

            // Rename and set the head together; the head joins the unit.
            let saved = try await browser.post("/quan-tri/don-vi/\(id)", ["name": "Phòng Thử nghiệm", "head": String(processor.id)])
            #expect(saved.status == .seeOther)
            var unit = try #require(try await UnitStore(database: database).unit(id: id, agencyCode: sonLa))
            #expect(unit.name == "Phòng Thử nghiệm" && unit.headUserID == processor.id && unit.headName == "Chuyên viên Thử")
            #expect(unit.memberCount == 1)
            #expect(try await UserStore(database: database).user(id: processor.id)?.unitID == id)

            // A taken name, or a head from another agency: refused, and the other half of the form is not saved.
            let taken = try await browser.post("/quan-tri/don-vi/\(id)", ["name": "Ban Tôn giáo", "head": String(processor.id)])
            #expect(taken.status == .conflict && taken.text.contains("id=\"ten-don-vi-\(id)-loi\""))
            let stranger = try await browser.post("/quan-tri/don-vi/\(id)", ["name": "Phòng Mới hẳn", "head": String(foreign.id)])
            #expect(stranger.status == .unprocessableContent && stranger.text.contains("Cán bộ được chọn không thuộc cơ quan này."))
            unit = try #require(try await UnitStore(database: database).unit(id: id, agencyCode: sonLa))
            #expect(unit.name == "Phòng Thử nghiệm" && unit.headUserID == processor.id)
            #expect(try await UserStore(database: database).user(id: foreign.id)?.unitID == nil)

            // Heading a second unit is refused; clearing the head keeps the member.
            let other = try await unitID(database, "Ban Tôn giáo")
            let second = try await browser.post("/quan-tri/don-vi/\(other)", ["name": "Ban Tôn giáo", "head": String(processor.id)])
            #expect(second.status == .conflict && second.text.contains("đang là trưởng “Phòng Thử nghiệm”"))
            #expect(try await browser.post("/quan-tri/don-vi/\(id)", ["name": "Phòng Thử nghiệm", "head": ""]).status == .seeOther)
            unit = try #require(try await UnitStore(database: database).unit(id: id, agencyCode: sonLa))
            #expect(unit.headUserID == nil && unit.memberCount == 1)
        }
    }

    @Test("Staff are shown with their unit, created into one, and moved between units of their agency")
    func moveStaff() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            try await staff(database, "qt@example.vn", .agencyAdmin, sonLa)
            let processor = try await staff(database, "cv@example.vn", .processor, sonLa, name: "Chuyên viên Thử", unit: "Ban Tôn giáo")
            #expect(processor.unitID == (try await unitID(database, "Ban Tôn giáo")))
            try await signIn(browser, "qt@example.vn")
            let page = try await browser.get("/quan-tri/can-bo")
            #expect(page.status == .ok && page.text.contains("<th scope=\"col\">Đơn vị</th>") && page.text.contains("name=\"unit\""))

            let target = try await unitID(database, "Phòng Tổ chức bộ máy")
            let moved = try await browser.post("/quan-tri/can-bo/\(processor.id)/don-vi", ["unit": String(target)])
            #expect(moved.status == .seeOther)
            #expect(try await UserStore(database: database).user(id: processor.id)?.unitID == target)
            #expect(try await browser.get(try #require(moved.headers[.location])).text.contains("Đã chuyển cán bộ sang đơn vị mới."))
            #expect(try await browser.post("/quan-tri/can-bo/\(processor.id)/don-vi", ["unit": ""]).status == .seeOther)
            #expect(try await UserStore(database: database).user(id: processor.id)?.unitID == nil)

            // The head of a unit cannot leave it before another head is chosen.
            let head = try #require(try await UserStore(database: database).credentials(email: "truongphong.h52@motcua.demo")?.user)
            let refused = try await browser.post("/quan-tri/can-bo/\(head.id)/don-vi", ["unit": String(target)])
            #expect(refused.status == .conflict && refused.text.contains("đang là trưởng “Phòng Công chức, viên chức”"))
            #expect(try await UserStore(database: database).user(id: head.id)?.unitID == (try await unitID(database, "Phòng Công chức, viên chức")))

            // Created into a unit from the form; a unit the agency does not have is refused.
            let created = try await browser.post("/quan-tri/can-bo", [
                "name": "Cán bộ Văn thư", "email": "vt@example.vn", "role": "processor", "unit": "Chi cục Văn thư – Lưu trữ",
            ])
            #expect(created.status == .seeOther)
            let clerk = try #require(try await UserStore(database: database).credentials(email: "vt@example.vn")?.user)
            #expect(clerk.unitID == (try await unitID(database, "Chi cục Văn thư – Lưu trữ")))
            let unknown = try await browser.post("/quan-tri/can-bo", ["name": "X", "email": "x@example.vn", "role": "processor", "unit": "Phòng Ma"])
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("Cơ quan chưa có đơn vị “Phòng Ma”."))
            #expect(try await UserStore(database: database).credentials(email: "x@example.vn") == nil)
        }
    }

    @Test("Another agency's administrator gets 404 on a foreign unit or staff member, and nothing changes")
    func foreignAgency() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            try await staff(database, "qt.ct@example.vn", .agencyAdmin, canTho)
            let sonLaStaff = try await staff(database, "cv@example.vn", .processor, sonLa)
            let id = try await unitID(database, "Ban Tôn giáo")
            let canThoUnit = try await unitID(database, "Ban Tôn giáo", agency: canTho)
            try await signIn(browser, "qt.ct@example.vn")
            #expect(try await browser.post("/quan-tri/don-vi/\(id)", ["name": "Chiếm", "head": ""]).status == .notFound)
            #expect(try await browser.post("/quan-tri/don-vi/\(id)/xoa", [:]).status == .notFound)
            #expect(try await browser.post("/quan-tri/can-bo/\(sonLaStaff.id)/don-vi", ["unit": String(canThoUnit)]).status == .notFound)
            #expect(try await UnitStore(database: database).unit(id: id, agencyCode: sonLa)?.name == "Ban Tôn giáo")
            #expect(try await UserStore(database: database).user(id: sonLaStaff.id)?.unitID == nil)
            // Its own staff cannot be put into a unit of another agency either.
            let own = try await staff(database, "cv.ct@example.vn", .processor, canTho)
            #expect(try await browser.post("/quan-tri/can-bo/\(own.id)/don-vi", ["unit": String(id)]).status == .notFound)
            #expect(!(try await browser.get("/quan-tri/don-vi").text.contains("/quan-tri/don-vi/\(id)\"")))
        }
    }

    @Test("A unit holding a dossier, staff or a head cannot be deleted and nothing changes; an empty unit can")
    func deletion() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let admin = try await staff(database, "qt@example.vn", .agencyAdmin, sonLa)
            try await signIn(browser, "qt@example.vn")
            #expect(try await browser.post("/quan-tri/don-vi", ["name": "Phòng Giữ hồ sơ"]).status == .seeOther)
            let id = try await unitID(database, "Phòng Giữ hồ sơ")
            let now = Clock.nowMilliseconds()
            try await database.transaction { db in
                for _ in 0..<2 {
                    try await db.raw("""
                        INSERT INTO dossiers (procedure_id, agency_id, applicant_id, status, channel, created_at, updated_at, holder_unit_id)
                        SELECT p.id, p.agency_id, \(bind: admin.id), 4, 1, \(bind: now), \(bind: now), \(bind: id)
                        FROM procedures p JOIN agencies a ON a.id = p.agency_id WHERE a.code = \(bind: sonLa) ORDER BY p.id LIMIT 1
                        """).run()
                }
            }
            let before = try await unitCount(database)
            let refused = try await browser.post("/quan-tri/don-vi/\(id)/xoa", [:])
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("Đơn vị đang giữ 2 hồ sơ; chuyển hết hồ sơ trước khi xóa."))
            #expect(try await unitCount(database) == before)
            #expect(try await database.read {
                try await $0.raw("SELECT COUNT(*) AS n FROM dossiers WHERE holder_unit_id = \(bind: id)").first()?.decode(column: "n", as: Int.self)
            } == 2)

            // Members and heads hold a unit too.
            let staffed = try await unitID(database, "Phòng Công chức, viên chức")
            let busy = try await browser.post("/quan-tri/don-vi/\(staffed)/xoa", [:])
            #expect(busy.status == .conflict && busy.text.contains("Đơn vị còn 2 cán bộ"))
            await #expect(throws: UnitError.self) { try await UnitStore(database: database).delete(unitID: staffed, agencyCode: sonLa) }

            let empty = try await unitID(database, "Ban Tôn giáo")
            let deleted = try await browser.post("/quan-tri/don-vi/\(empty)/xoa", [:])
            #expect(deleted.status == .seeOther && deleted.headers[.location] == "/quan-tri/don-vi?thong-bao=da-xoa")
            #expect(try await UnitStore(database: database).unit(id: empty, agencyCode: sonLa) == nil)
            #expect(try await unitCount(database) == before - 1)
            #expect(try await browser.post("/quan-tri/don-vi/\(empty)/xoa", [:]).status == .notFound)
        }
    }

    @Test("Only administrators reach the unit pages, and every form needs its CSRF token")
    func access() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            try await staff(database, "cv@example.vn", .processor, sonLa)
            try await staff(database, "tn@example.vn", .receptionist, sonLa)
            try await staff(database, "qt@example.vn", .agencyAdmin, sonLa)
            try await staff(database, "ht@example.vn", .systemAdmin, nil)
            let id = try await unitID(database, "Ban Tôn giáo")
            for email in ["cv@example.vn", "tn@example.vn"] {
                try await signIn(browser, email)
                #expect(try await browser.get("/quan-tri/don-vi").status == .forbidden, "\(email)")
                #expect(try await browser.post("/quan-tri/don-vi", ["name": "Lén"]).status == .forbidden, "\(email)")
                #expect(!(try await browser.get("/tai-khoan").text.contains("href=\"/quan-tri/don-vi\"")))
            }
            try await signIn(browser, "qt@example.vn")
            #expect(try await browser.get("/tai-khoan").text.contains("href=\"/quan-tri/don-vi\""))
            let before = try await unitCount(database)
            #expect(try await browser.post("/quan-tri/don-vi", ["name": "Không token"], csrf: .some(nil)).status == .forbidden)
            #expect(try await browser.post("/quan-tri/don-vi/\(id)/xoa", [:], csrf: .some(nil)).status == .forbidden)
            #expect(try await browser.post("/quan-tri/don-vi/\(id)", ["name": "X"], csrf: .some("sai")).status == .forbidden)
            #expect(try await unitCount(database) == before)
            #expect(try await UnitStore(database: database).unit(id: id, agencyCode: sonLa)?.name == "Ban Tôn giáo")

            // The system administrator picks an agency, then manages its units.
            try await signIn(browser, "ht@example.vn")
            let chooser = try await browser.get("/quan-tri/don-vi")
            #expect(chooser.status == .ok && chooser.text.contains("/quan-tri/don-vi?co-quan=\(canTho)"))
            #expect(try await browser.get("/quan-tri/don-vi?co-quan=\(canTho)").text.contains("Phòng Công chức, viên chức"))
            let created = try await browser.post("/quan-tri/don-vi?co-quan=\(canTho)", ["name": "Phòng Hệ thống"])
            #expect(created.status == .seeOther && created.headers[.location] == "/quan-tri/don-vi?co-quan=\(canTho)&thong-bao=da-tao")
            #expect(try await UnitStore(database: database).units(agencyCode: canTho).contains { $0.name == "Phòng Hệ thống" })
            #expect(try await browser.post("/quan-tri/don-vi", ["name": "Phòng Hệ thống"]).status == .badRequest)
            #expect(try await browser.get("/quan-tri/don-vi?co-quan=000.00.99.X99").status == .notFound)
        }
    }

    @Test("The staff API lists the caller's agency's units with head and members; others get 403")
    func unitsAPI() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            let processor = try await staff(database, "cv@example.vn", .processor, sonLa)
            let system = try await staff(database, "ht@example.vn", .systemAdmin, nil)
            let tokens = APITokenStore(database: database)
            let token = try await tokens.create(userID: processor.id, name: "test")
            let response = try await browser.client.execute(uri: "/api/v1/staff/units", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(response.status == .ok)
            struct Person: Decodable { var id: Int64; var name: String; var role: String? }
            struct UnitBody: Decodable { var id: Int64; var name: String; var head: Person?; var members: [Person] }
            struct Body: Decodable { var items: [UnitBody] }
            let body = try response.json(Body.self)
            let office = try #require(body.items.first { $0.name == "Phòng Công chức, viên chức" })
            #expect(office.head?.name == "Trưởng phòng Công chức, viên chức – Sơn La" && office.head?.role == "processor")
            #expect(office.members.count == 2 && office.members.allSatisfy { $0.role == "processor" })
            #expect(body.items.contains { $0.name == "Ban Tôn giáo" && $0.head == nil && $0.members.isEmpty })
            #expect(!response.text.contains("Cần Thơ"))
            let foreign = try await browser.client.execute(uri: "/api/v1/staff/units?agency=\(canTho)", method: .get,
                                                           headers: [.authorization: "Bearer \(token)"])
            #expect(foreign.status == .forbidden)

            let systemToken = try await tokens.create(userID: system.id, name: "test")
            let unnamed = try await browser.client.execute(uri: "/api/v1/staff/units", method: .get, headers: [.authorization: "Bearer \(systemToken)"])
            #expect(unnamed.status == .badRequest && unnamed.headers[.contentType] == "application/problem+json")
            let named = try await browser.client.execute(uri: "/api/v1/staff/units?agency=\(canTho)", method: .get,
                                                         headers: [.authorization: "Bearer \(systemToken)"])
            #expect(named.status == .ok && named.text.contains("Cần Thơ"))

            try await Citizen.registerAndSignIn(browser, mail: mail)
            let citizen = try #require(try await UserStore(database: database).credentials(email: "an.nguyen@example.vn")?.user)
            let citizenToken = try await tokens.create(userID: citizen.id, name: "test")
            let refused = try await browser.client.execute(uri: "/api/v1/staff/units", method: .get, headers: [.authorization: "Bearer \(citizenToken)"])
            #expect(refused.status == .forbidden && refused.headers[.contentType] == "application/problem+json")
        }
    }
}
