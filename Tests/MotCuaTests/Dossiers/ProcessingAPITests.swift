import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// Processing with timed steps over the staff API: hand-overs, assignment, holder-only actions, send-back,
/// the queues and their counts, the control slip's rows. Runs on SQLite, and on PostgreSQL with DATABASE_URL.
@Suite("Processing with timed steps (API)")
struct ProcessingAPITests {
    @Test("Desk → unit (head assigns) → processor → leader (sends back once) → processor → leader approves → desk returns")
    func wholeProcess() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            let citizen = try await APICitizen.make(database, email: "cong.dan@example.vn", citizenID: "001099000111")
            let desk = try await APIStaff.make(database, email: "tiep.nhan@example.vn", role: .receptionist)
            let head = try await APIStaff.make(database, email: "truong.phong@example.vn", role: .processor)
            let processor = try await APIStaff.make(database, email: "chuyen.vien@example.vn", role: .processor)
            let colleague = try await APIStaff.make(database, email: "chuyen.vien.khac@example.vn", role: .processor)
            let leader = try await APIStaff.make(database, email: "lanh.dao@example.vn", role: .leader)
            let dossier = try await APIFiling.submitted(browser, citizen, database: database)
            #expect(try await APIFiling.counts(browser, desk)["to-receive"] == 1)

            // Acceptance copies the procedure's process; the desk holds the first step.
            #expect(try await APIFiling.act(browser, desk, dossier.id, "accept").status == .ok)
            var seen = try await APIFiling.processing(browser, desk, dossier.id)
            let steps = seen.progress.steps
            #expect(steps.count >= 4 && steps.first?.role == "receptionist" && steps.last?.role == "receptionist")
            #expect(seen.progress.position == 0 && seen.progress.holderUserId == desk.user.id)
            let unit = steps[1].unit
            try await head.place(in: unit, head: true, database: database)
            try await processor.place(in: unit, database: database)
            try await colleague.place(in: unit, database: database)
            try await leader.place(in: steps[steps.count - 2].unit, database: database)

            // Forwarding to staff of another agency, or to someone outside the next step's unit, is refused, and nothing changes.
            let foreign = try await APIStaff.make(database, email: "cv.sonla@example.vn", role: .processor, agency: "000.00.07.H52")
            let abroad = try await APIFiling.act(browser, desk, dossier.id, "forward", to: foreign.user.id)
            #expect(abroad.status == .unprocessableContent && abroad.text.contains("không phải cán bộ của cơ quan"))
            #expect(try await browser.client.execute(uri: "/api/v1/staff/dossiers/\(dossier.id)", method: .get, headers: foreign.auth).status
                == .notFound)
            let wrong = try await APIFiling.act(browser, desk, dossier.id, "forward", to: leader.user.id)
            #expect(wrong.status == .unprocessableContent || wrong.status == .badRequest)
            #expect(try await APIFiling.processing(browser, desk, dossier.id).progress.position == 0)
            // The desk forwards to the unit; nobody holds it yet: it waits in the head's "to assign" list.
            #expect(try await APIFiling.act(browser, desk, dossier.id, "forward").status == .ok)
            #expect(try await APIFiling.queue(browser, head, "to-assign") == [dossier.id])
            #expect(try await APIFiling.counts(browser, head)["to-assign"] == 1)
            // A processor of the unit may not assign; the head does.
            #expect(try await APIFiling.act(browser, processor, dossier.id, "assign", to: processor.user.id).status == .forbidden)
            #expect(try await APIFiling.act(browser, head, dossier.id, "assign", to: processor.user.id).status == .ok)
            #expect(try await APIFiling.queue(browser, processor, "mine") == [dossier.id])
            // The list names the step the dossier is at, and who holds it.
            let mineList = try await browser.client.execute(uri: "/api/v1/staff/dossiers?queue=mine", method: .get, headers: processor.auth)
            #expect(mineList.text.contains("\"stepName\":\"\(steps[1].name)\"") && mineList.text.contains("\"holderName\":\"Cán bộ processor\""))
            #expect(try await APIFiling.queue(browser, head, "to-assign").isEmpty)

            // Only the holder (or the unit head) acts; a colleague sees it read-only.
            let colleagueView = try await APIFiling.processing(browser, colleague, dossier.id)
            #expect(colleagueView.availableActions.isEmpty)
            #expect(try await APIFiling.act(browser, colleague, dossier.id, "forward", to: leader.user.id).status == .forbidden)
            // Not the first step to send back from.
            #expect(try await APIFiling.act(browser, processor, dossier.id, "sendBack", note: "Trả lại").status == .unprocessableContent)

            // The processor attaches the draft result and forwards it up to the leader's step.
            let result = try await APIFiling.upload(browser, auth: processor.auth, uri: "/api/v1/staff/dossiers/\(dossier.id)/result-files",
                                                    name: "Du-thao.pdf")
            #expect(result.status == .created)
            var position = 1
            while position < steps.count - 2 {
                let to: Int64? = steps[position + 1].role == "leader" ? leader.user.id : processor.user.id
                if steps[position + 1].role == "processor" && steps[position + 1].unit != unit {
                    try await processor.place(in: steps[position + 1].unit, database: database)
                }
                #expect(try await APIFiling.act(browser, processor, dossier.id, "forward", to: to).status == .ok)
                position += 1
            }
            seen = try await APIFiling.processing(browser, leader, dossier.id)
            #expect(seen.progress.position == steps.count - 2 && seen.progress.holderUserId == leader.user.id)
            #expect(try await APIFiling.queue(browser, leader, "to-approve") == [dossier.id])

            // The leader sends it back one step with a note; it returns to the person who held that step.
            #expect(try await APIFiling.act(browser, leader, dossier.id, "sendBack").status == .unprocessableContent)
            #expect(try await APIFiling.act(browser, leader, dossier.id, "sendBack", note: "Bổ sung căn cứ pháp lý").status == .ok)
            seen = try await APIFiling.processing(browser, processor, dossier.id)
            #expect(seen.progress.position == steps.count - 3 && seen.progress.holderUserId == processor.user.id)
            #expect(try await APIFiling.act(browser, processor, dossier.id, "forward", to: leader.user.id).status == .ok)

            // Approval moves it to the desk's last step; any receptionist returns it.
            #expect(try await APIFiling.act(browser, leader, dossier.id, "finish").status == .ok)
            #expect(try await APIFiling.counts(browser, desk)["to-return"] == 1)
            let returned = try await APIFiling.act(browser, desk, dossier.id, "returnResult")
            #expect(returned.status == .ok)
            seen = try returned.json(ProcessingBody.self)
            #expect(seen.status == DossierStatus.returned.rawValue)

            // The control slip: one row per stay, every one closed and judged; who handed and who received.
            let rows = seen.handovers
            #expect(rows.count == steps.count + 2)
            #expect(rows.allSatisfy { $0.finishedAt != nil && ["early", "on_time", "late"].contains($0.outcome ?? "") })
            #expect(rows[1].handedBy == "Cán bộ receptionist" && rows[1].receivedBy == "Cán bộ processor")
            // The desk's last step was left to the whole desk: the row names who returned the result.
            #expect(rows.last?.receivedBy == "Cán bộ receptionist")
            #expect(rows.map(\.position) == Array(0...(steps.count - 2)) + [steps.count - 3, steps.count - 2, steps.count - 1])
            // Done today, well before the steps' due moments.
            #expect(rows.allSatisfy { $0.outcome != "late" })
            _ = mail
        }
    }

    @Test("Two people acting on the same step at once: exactly one wins, the other is told")
    func concurrentHandOvers() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let citizen = try await APICitizen.make(database, email: "cong.dan@example.vn", citizenID: "001099000111")
            let desk = try await APIStaff.make(database, email: "tiep.nhan@example.vn", role: .receptionist)
            let desk2 = try await APIStaff.make(database, email: "tiep.nhan.2@example.vn", role: .receptionist)
            let head = try await APIStaff.make(database, email: "truong.phong@example.vn", role: .processor)
            let processor = try await APIStaff.make(database, email: "chuyen.vien@example.vn", role: .processor)
            let dossier = try await APIFiling.submitted(browser, citizen, database: database)
            #expect(try await APIFiling.act(browser, desk, dossier.id, "accept").status == .ok)
            let unit = try await APIFiling.processing(browser, desk, dossier.id).progress.steps[1].unit
            try await head.place(in: unit, head: true, database: database)
            try await processor.place(in: unit, database: database)
            // Two receptionists forward at the same moment.
            async let first = APIFiling.act(browser, desk, dossier.id, "forward")
            async let second = APIFiling.act(browser, desk2, dossier.id, "forward", to: processor.user.id)
            let answers = [try await first, try await second]
            #expect(answers.filter { $0.status == .ok }.count == 1)
            // The loser read the dossier before the winner wrote (409: it changed meanwhile) or after (403: the
            // step is no longer the desk's); either way with a message, and nothing of it saved.
            let loser = try #require(answers.first { $0.status != .ok })
            #expect([.conflict, .forbidden].contains(loser.status))
            #expect(loser.text.contains("detail"))
            let seen = try await APIFiling.processing(browser, desk, dossier.id)
            #expect(seen.progress.position == 1 && seen.handovers.count == 2)
            // The head assigns while the holder... only one assignment lands on a pooled step at a time.
            async let a = APIFiling.act(browser, head, dossier.id, "assign", to: processor.user.id)
            async let b = APIFiling.act(browser, head, dossier.id, "assign", to: head.user.id)
            let assigned = [try await a.status, try await b.status]
            #expect(assigned.filter { $0 == .ok }.count >= 1)
            #expect(assigned.allSatisfy { $0 == .ok || $0 == .conflict })
            let final = try await APIFiling.processing(browser, desk, dossier.id)
            #expect(final.handovers.count == 2 && [processor.user.id, head.user.id].contains(final.progress.holderUserId ?? 0))
        }
    }

    @Test("The agency's list: search by code, applicant name or ID number, procedure, status, channel and dates; bad values are 400")
    func search() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let citizen = try await APICitizen.make(database, email: "cong.dan@example.vn", citizenID: "001099000111")
            let other = try await APICitizen.make(database, email: "nguoi.khac@example.vn", citizenID: "001099000222")
            let desk = try await APIStaff.make(database, email: "tiep.nhan@example.vn", role: .receptionist)
            let mine = try await APIFiling.submitted(browser, citizen, database: database)
            let theirs = try await APIFiling.submitted(browser, other, database: database)
            #expect(Set(try await APIFiling.queue(browser, desk, "all")) == [mine.id, theirs.id])
            #expect(try await APIFiling.queue(browser, desk, "all", query: "&applicant=001099000222") == [theirs.id])
            #expect(try await APIFiling.queue(browser, desk, "all", query: "&applicant=nguoi.khac") == [theirs.id])
            #expect(try await APIFiling.queue(browser, desk, "all", query: "&code=\(mine.code!)") == [mine.id])
            #expect(try await APIFiling.queue(browser, desk, "all", query: "&procedure=1.005384&channel=2&status=1").count == 2)
            #expect(try await APIFiling.queue(browser, desk, "all", query: "&channel=1").isEmpty)
            #expect(try await APIFiling.queue(browser, desk, "all", query: "&from=2000-01-01&to=2000-12-31").isEmpty)
            for bad in ["queue=soon", "channel=7", "from=2026-13-01", "to=hom-nay", "cursor=x"] {
                let response = try await browser.client.execute(uri: "/api/v1/staff/dossiers?\(bad)", method: .get, headers: desk.auth)
                #expect(response.status == .badRequest, "\(bad)")
                #expect(response.headers[.contentType]?.hasPrefix("application/problem+json") == true, "\(bad)")
            }
            // Paging by due moment: one per page, each once.
            var seen: [Int64] = []
            var cursor: String?
            repeat {
                struct Page: Decodable { struct Item: Decodable { var id: Int64 }; var items: [Item]; var nextCursor: String? }
                let uri = "/api/v1/staff/dossiers?queue=all&limit=1" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await browser.client.execute(uri: uri, method: .get, headers: desk.auth).json(Page.self)
                seen += page.items.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == [mine.id, theirs.id])
        }
    }
}
