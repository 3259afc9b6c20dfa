import Foundation
import HTTPTypes
import HummingbirdTesting
import SQLKit
import Testing

@testable import MotCua

/// The clocks of processing at known moments, through the workflow (the one write path) on SQLite and
/// PostgreSQL: step due moments in office hours, hand-over marks, the clock stopped by a supplement
/// request, the due sweep and its mail, and the apology with a new appointment.
@Suite("Processing clocks, the due sweep and apologies")
struct ProcessingClockTests {
    static func at(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Int64 {
        OfficeHoursTests.at(year, month, day, hour, minute)
    }

    /// Four people of Bắc Kạn's department, in the units of procedure 1.005384's process.
    struct Office {
        var desk: User
        var processor: User
        var head: User
        var leader: User

        static func make(_ dependencies: AppDependencies) async throws -> Office {
            let accounts = dependencies.accounts
            func staff(_ email: String, _ role: StaffRole, _ unit: String) async throws -> User {
                try await accounts.createStaff(email: email, name: "Cán bộ \(email)", role: role, agencyCode: Filing.agency,
                                               password: "Mot-cua-2026-an-toan", unitName: unit).0
            }
            return Office(
                desk: try await staff("tn@example.vn", .receptionist, ProcessStep.receptionUnit),
                processor: try await staff("cv@example.vn", .processor, "Phòng Công chức, viên chức"),
                head: try await staff("tp@example.vn", .processor, "Phòng Công chức, viên chức"),
                leader: try await staff("ld@example.vn", .leader, ProcessStep.leadershipUnit))
        }
    }

    @Test("The due sweep's mails to the holder follow the notice's edited template")
    func dueSweepTemplate() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let office = try await Office.make(dependencies)
            let (_, dossier) = try await Self.submitted(dependencies)
            _ = try await dependencies.workflow.perform(.accept, on: dossier.id, by: office.desk, input: .init(), at: Self.at(2026, 12, 9, 11))
            try await NoticeTemplateStore(database: dependencies.database).save(
                NoticeTemplate(mailSubject: "SẮP HẠN {{ma_ho_so}} lúc {{han}}", mailBody: "{{nguoi_nhan}}, xem {{duong_dan_xu_ly}}", smsText: ""),
                for: .stepDueSoon, by: office.desk.id)
            #expect(try await dependencies.dueSweep.sweep(now: Self.at(2026, 12, 9, 11, 5)).stepsDueSoon == 1)
            let code = try #require(try await dependencies.dossiers.store.dossier(id: dossier.id)?.code)
            #expect(try await Self.mails(dependencies.database, to: "tn@example.vn") == ["SẮP HẠN \(code) lúc 09/12/2026 16:30"])
        }
    }

    static func submitted(_ dependencies: AppDependencies, email: String = "an.nguyen@example.vn",
                          delivery: DeliveryMethod = .online) async throws -> (Filing, Dossier) {
        let filing = try await Filing.make(dependencies, email: email)
        let dossier = try await dependencies.dossiers.submit(dossierID: try await filing.draft(delivery: delivery).id, applicant: filing.applicant)
        return (filing, dossier)
    }

    static func mails(_ database: any Database, to recipient: String) async throws -> [String] {
        try await database.read { db in
            try await db.raw("SELECT subject FROM outbox WHERE recipient = \(bind: recipient) ORDER BY id").all()
                .map { try $0.decode(column: "subject", as: String.self) }
        }
    }

    @Test("Known moments: half a day from Wednesday 11:00 is 16:30; two days from 31 December 15:00 skip New Year and the weekend; early, on time and late marks")
    func knownMoments() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let office = try await Office.make(dependencies)
            let (_, dossier) = try await Self.submitted(dependencies)
            let workflow = dependencies.workflow
            // Accepted Wednesday 9 December 2026 at 11:00: the desk's step (0.5 day) is due at 16:30 the same day.
            var saved = try await workflow.perform(.accept, on: dossier.id, by: office.desk, input: .init(), at: Self.at(2026, 12, 9, 11))
            #expect(saved.progress.stepDueAt == Self.at(2026, 12, 9, 16, 30))
            #expect(saved.progress.holderUserID == office.desk.id)
            // The appointment counts whole working days and keeps the time of day.
            let expected = WorkingCalendar().deadline(from: Date(timeIntervalSince1970: Double(Self.at(2026, 12, 9, 11)) / 1000), workingDays: 30)
            #expect(saved.dueAt == Int64(expected.timeIntervalSince1970 * 1000))
            saved = try await workflow.perform(.forward, on: dossier.id, by: office.desk, input: .init(toUserID: office.processor.id),
                                               at: Self.at(2026, 12, 9, 11, 20))
            // The unit's first step is forwarded on Thursday 31 December 2026 at 15:00; the next (2 days) skips
            // 1 January (a holiday, a Friday) and the weekend: 2 h on Thursday, 8 h on Monday, 6 h on Tuesday.
            saved = try await workflow.perform(.forward, on: dossier.id, by: office.processor, input: .init(toUserID: office.processor.id),
                                               at: Self.at(2026, 12, 31, 15))
            #expect(saved.progress.stepDueAt == Self.at(2027, 1, 5, 15))
            // Handed on late: Wednesday 6 January.
            _ = try await workflow.perform(.forward, on: dossier.id, by: office.processor, input: .init(toUserID: office.leader.id),
                                           at: Self.at(2027, 1, 6, 9))
            let rows = try await dependencies.dossiers.store.handovers(dossierID: dossier.id)
            #expect(rows.map(\.outcome) == [.onTime, .early, .late, nil])
            #expect(rows.map(\.receivedByName) == ["Cán bộ tn@example.vn", "Cán bộ cv@example.vn", "Cán bộ cv@example.vn", "Cán bộ ld@example.vn"])
            #expect(rows.map(\.handedByName) == [nil, "Cán bộ tn@example.vn", "Cán bộ cv@example.vn", "Cán bộ cv@example.vn"])
        }
    }

    @Test("A supplement asked during processing stops both clocks for the three days the applicant takes; asked once only")
    func supplementPausesTheClock() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let office = try await Office.make(dependencies)
            let (filing, dossier) = try await Self.submitted(dependencies)
            let workflow = dependencies.workflow
            _ = try await workflow.perform(.accept, on: dossier.id, by: office.desk, input: .init(), at: Self.at(2026, 12, 9, 11))
            let before = try await workflow.perform(.forward, on: dossier.id, by: office.desk, input: .init(toUserID: office.processor.id),
                                                    at: Self.at(2026, 12, 9, 11, 20))
            // Asked on Monday 14 December at 10:00 by the processor holding the step.
            let paused = try await workflow.perform(
                .requestSupplement, on: dossier.id, by: office.processor, input: .init(note: "Bổ sung bản sao văn bằng."),
                at: Self.at(2026, 12, 14, 10))
            #expect(paused.status == .supplementRequested && paused.progress.pausedAt == Self.at(2026, 12, 14, 10))
            // While paused the due sweep does not count the dossier.
            let during = try await dependencies.dueSweep.sweep(now: Self.at(2027, 6, 1, 10))
            #expect(during.stepsOverdue == 0 && during.dossiersOverdue == 0)
            // The applicant answers on Thursday 17 December at 10:00: three working days later.
            let resumed = try await dependencies.dossiers.answerSupplement(
                dossierID: dossier.id, applicant: filing.applicant, note: "Đã bổ sung.", at: Self.at(2026, 12, 17, 10))
            #expect(resumed.status == .processing && resumed.progress.pausedAt == nil)
            #expect(resumed.progress.holderUserID == office.processor.id && resumed.progress.position == 1)
            let oldDue = Date(timeIntervalSince1970: Double(try #require(before.dueAt)) / 1000)
            let newDue = WorkingCalendar().deadline(from: oldDue, workingDays: 3)
            #expect(resumed.dueAt == Int64(newDue.timeIntervalSince1970 * 1000))
            let stepShift = OfficeHours.standard.workingMilliseconds(
                from: try #require(before.progress.stepDueAt), to: try #require(resumed.progress.stepDueAt), calendar: WorkingCalendar())
            #expect(stepShift == 3 * 8 * 3_600_000)
            // Once, in writing: a second request during processing is refused and changes nothing.
            await #expect(throws: DossierError.self) {
                _ = try await workflow.perform(.requestSupplement, on: dossier.id, by: office.processor, input: .init(note: "Lần nữa"),
                                               at: Self.at(2026, 12, 18, 10))
            }
            #expect(try await dependencies.dossiers.store.dossier(id: dossier.id)?.status == .processing)
        }
    }

    @Test("The due sweep marks due soon then overdue, mails the holder once per state, and two sweeps at once mail once")
    func dueSweep() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let office = try await Office.make(dependencies)
            let (_, dossier) = try await Self.submitted(dependencies)
            let accepted = try await dependencies.workflow.perform(.accept, on: dossier.id, by: office.desk, input: .init(),
                                                                   at: Self.at(2026, 12, 9, 11))
            let sweep = dependencies.dueSweep
            // 11:05: the desk's step is due at 16:30, within a working day: due soon, and the desk is told.
            var result = try await sweep.sweep(now: Self.at(2026, 12, 9, 11, 5))
            #expect(result.stepsDueSoon == 1 && result.stepsOverdue == 0 && result.dossiersDueSoon == 0)
            #expect(try await Self.mails(dependencies.database, to: "tn@example.vn").count == 1)
            // Nothing new, nothing mailed.
            result = try await sweep.sweep(now: Self.at(2026, 12, 9, 11, 10))
            #expect(result == DueSweep.Result())
            // 16:31: overdue.
            result = try await sweep.sweep(now: Self.at(2026, 12, 9, 16, 31))
            #expect(result.stepsOverdue == 1)
            let subjects = try await Self.mails(dependencies.database, to: "tn@example.vn")
            #expect(subjects.count == 2 && subjects[1].contains("đã quá hạn"))
            // Past the appointment, two processes sweep at the same moment: one of them marks and mails.
            let late = try #require(accepted.dueAt) + 60_000
            async let first = sweep.sweep(now: late)
            async let second = sweep.sweep(now: late)
            let both = [try await first, try await second]
            #expect(both.map(\.dossiersOverdue).reduce(0, +) == 1)
            #expect(try await Self.mails(dependencies.database, to: "tn@example.vn").filter { $0.hasPrefix("Hồ sơ") }.count == 1)
            // The agency's overdue list holds it.
            let viewer = QueueViewer(office.desk)
            #expect(try await dependencies.dossiers.store.queue(.overdue, for: viewer, limit: 10).items.map(\.id) == [dossier.id])
            #expect(try await dependencies.dossiers.store.counts([.overdue, .dueSoon], for: viewer) == [.overdue: 1, .dueSoon: 0])
        }
    }

    @Test("An apology sets a later appointment on a working day, is mailed to the applicant and shows in the public lookup (the day only)")
    func apology() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let office = try await Office.make(dependencies)
            let (filing, dossier) = try await Self.submitted(dependencies)
            let workflow = dependencies.workflow
            let accepted = try await workflow.perform(.accept, on: dossier.id, by: office.desk, input: .init(), at: Self.at(2026, 12, 9, 11))
            let due = try #require(accepted.dueAt)
            let dueDay = OfficeHours.civilDate(day: OfficeHours.split(due).day)
            func apologize(_ note: String, _ date: CivilDate?) async throws -> Dossier {
                try await workflow.perform(.apologize, on: dossier.id, by: office.desk, input: .init(note: note, newDueDate: date),
                                           at: Self.at(2027, 1, 15, 9))
            }
            // Earlier than the current appointment, a day off, no reason, no date, not the desk: refused, nothing changes.
            for (note, date) in [("Chậm do chờ ý kiến", dueDay.adding(days: -1)), ("Chậm do chờ ý kiến", CivilDate(2027, 2, 7)),
                                 ("", dueDay.adding(days: 3)), ("Chậm", nil)] {
                await #expect(throws: DossierError.self) { _ = try await apologize(note, date) }
            }
            await #expect(throws: DossierError.self) {
                _ = try await workflow.perform(.apologize, on: dossier.id, by: office.leader,
                                               input: .init(note: "x", newDueDate: dueDay.adding(days: 7)))
            }
            #expect(try await dependencies.dossiers.store.apologies(dossierID: dossier.id).isEmpty)
            // A week after the appointment, moved on to a working day.
            var newDay = dueDay.adding(days: 7)
            while !WorkingCalendar().isWorkingDay(newDay) { newDay = newDay.adding(days: 1) }
            let saved = try await apologize("Chậm do chờ ý kiến của Bộ Nội vụ.", newDay)
            let newDue = try #require(saved.dueAt)
            #expect(newDue > due && OfficeHours.split(newDue).timeOfDay == OfficeHours.split(due).timeOfDay)
            let apologies = try await dependencies.dossiers.store.apologies(dossierID: dossier.id)
            #expect(apologies.map(\.previousDueAt) == [due] && apologies.map(\.newDueAt) == [newDue])
            let mail = try await dependencies.database.read { db in
                try await db.raw("SELECT body_text FROM outbox WHERE recipient = \(bind: filing.applicant.email) ORDER BY id DESC").first()?
                    .decode(column: "body_text", as: String.self)
            }
            #expect(mail?.contains(VietnameseFormat.dateTime(newDue)) == true && mail?.contains("Chậm do chờ ý kiến") == true)
            let code = try #require(dossier.code)
            let lookup = try #require(try await dependencies.dossiers.store.publicStatus(code: code))
            #expect(lookup.rescheduled && lookup.dueAt == newDue)
        }
    }

    /// Takes a dossier from acceptance to the desk's last step, on the given moments' day.
    static func approved(_ dependencies: AppDependencies, _ office: Office, delivery: DeliveryMethod, email: String) async throws -> Dossier {
        let (_, dossier) = try await submitted(dependencies, email: email, delivery: delivery)
        let workflow = dependencies.workflow
        _ = try await workflow.perform(.accept, on: dossier.id, by: office.desk, input: .init())
        _ = try await workflow.perform(.forward, on: dossier.id, by: office.desk, input: .init(toUserID: office.processor.id))
        let file = try await dependencies.fileStore.write(bytes: CatalogFixture.pdfBytes)
        try await workflow.addResult(dossierID: dossier.id, staff: office.processor, file: file, contentType: "application/pdf",
                                     displayName: "ket-qua.pdf")
        _ = try await workflow.perform(.forward, on: dossier.id, by: office.processor, input: .init(toUserID: office.processor.id))
        _ = try await workflow.perform(.forward, on: dossier.id, by: office.processor, input: .init(toUserID: office.leader.id))
        return try await workflow.perform(.finish, on: dossier.id, by: office.leader, input: .init())
    }

    @Test("Returning the result records who collected it at the desk, or the post's tracking number and day; odd values are refused")
    func resultDelivery() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let office = try await Office.make(dependencies)
            let workflow = dependencies.workflow
            let today = OfficeHours.civilDate(day: OfficeHours.split(Clock.nowMilliseconds()).day)

            let atDesk = try await Self.approved(dependencies, office, delivery: .desk, email: "tai.quay@example.vn")
            for input in [StaffActionInput(), StaffActionInput(collectorName: "Nguyễn Văn An", collectorIDNumber: "12-34"),
                          StaffActionInput(collectorName: " ", collectorIDNumber: "001099000111")] {
                await #expect(throws: DossierError.self) { _ = try await workflow.perform(.returnResult, on: atDesk.id, by: office.desk, input: input) }
            }
            #expect(try await dependencies.dossiers.store.dossier(id: atDesk.id)?.status == .finished)
            let collected = try await workflow.perform(
                .returnResult, on: atDesk.id, by: office.desk,
                input: StaffActionInput(collectorName: "Nguyễn Văn An", collectorIDNumber: "001099000111"))
            #expect(collected.status == .returned)
            let desk = try #require(try await dependencies.dossiers.store.delivery(dossierID: atDesk.id))
            #expect(desk.method == .desk && desk.collectorName == "Nguyễn Văn An" && desk.summary.contains("001099000111"))

            let byPost = try await Self.approved(dependencies, office, delivery: .post, email: "buu.dien@example.vn")
            for input in [StaffActionInput(trackingNumber: "EL123<script>", sentOn: today),
                          StaffActionInput(trackingNumber: "EL 1234 56789VN", sentOn: today),
                          StaffActionInput(trackingNumber: "EL123456789VN", sentOn: today.adding(days: 1)),
                          StaffActionInput(trackingNumber: "EL123456789VN")] {
                await #expect(throws: DossierError.self) { _ = try await workflow.perform(.returnResult, on: byPost.id, by: office.desk, input: input) }
            }
            #expect(try await dependencies.dossiers.store.delivery(dossierID: byPost.id) == nil)
            _ = try await workflow.perform(.returnResult, on: byPost.id, by: office.desk,
                                           input: StaffActionInput(trackingNumber: "el123456789vn", sentOn: today))
            let post = try #require(try await dependencies.dossiers.store.delivery(dossierID: byPost.id))
            #expect(post.trackingNumber == "EL123456789VN" && post.sentOn == today && post.summary.contains("EL123456789VN"))

            // The applicant reads it on their dossier page: the tracking number and the day it was sent.
            let hash = try await PasswordHasher(cost: 4).hash("Buu-dien-Son-La-2026")
            try await dependencies.database.transaction { try await UserStore.setPassword(userID: byPost.applicantID, hash: hash, in: $0) }
            let app = try await buildApplication(configuration: dependencies.configuration, metrics: TestEnvironment.metrics,
                                                 logger: TestEnvironment.logger)
            try await app.test(.router) { client in
                let browser = BrowserClient(client)
                #expect(try await browser.post("/dang-nhap", ["email": "buu.dien@example.vn", "password": "Buu-dien-Son-La-2026"]).status
                    == .seeOther)
                let page = try await browser.get("/ho-so/\(byPost.id)")
                #expect(page.status == .ok && page.text.contains("EL123456789VN"), "\(page.text.prefix(200))")
                let sentOn = String(format: "%02d/%02d/%04d", today.day, today.month, today.year)
                #expect(page.text.contains(sentOn))
            }
        }
    }
}
