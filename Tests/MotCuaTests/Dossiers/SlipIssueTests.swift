import Foundation
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// The standard slips are issued at the moment of their step (recorded inside the step's transaction, drawn as
/// PDF in the background right after it), and kept with the dossier unchanged.
@Suite("Slips issued with the dossier")
struct SlipIssueTests {
    @Test("Acceptance issues 01, a refusal 03, a supplement request during processing 02, an apology 04, the return 05; each a PDF with the applicant's name")
    func issued() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let office = try await ProcessingClockTests.Office.make(dependencies)
            let workflow = dependencies.workflow
            let store = dependencies.dossiers.store
            let (filing, dossier) = try await ProcessingClockTests.submitted(dependencies)
            #expect(try await store.slips(dossierID: dossier.id).isEmpty)

            let accepted = try await workflow.perform(.accept, on: dossier.id, by: office.desk, input: .init())
            await dependencies.slips.drawings.drained()
            let receipt = try #require(try await store.slips(dossierID: dossier.id).first)
            #expect(receipt.form == "01" && receipt.number.hasPrefix("0001/"))
            let receiptFile = try #require(receipt.file, "the receipt's PDF was not drawn after the step")
            let bytes = Array(try await dependencies.fileStore.read(sha256: receiptFile.sha256).readableBytesView)
            #expect(bytes.starts(with: Array("%PDF-".utf8)) && Int64(bytes.count) == receiptFile.size)
            if ExternalTool.has("pdftotext") {
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("slip-\(UUID().uuidString).pdf").path
                defer { try? FileManager.default.removeItem(atPath: path) }
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                let text = try ExternalTool.run("pdftotext", ["-layout", path, "-"]).output.precomposedStringWithCanonicalMapping
                let code = try #require(accepted.code)
                let due = SlipDate.moment(try #require(accepted.dueAt))
                #expect(text.contains(filing.applicant.displayName) && text.contains(code))
                #expect(text.contains(due), "the appointment \(due) is not on the slip")
            }

            // Another dossier refused at the desk: slip 03, numbered in its own series.
            let (_, second) = try await ProcessingClockTests.submitted(dependencies, email: "nguoi.thu.hai@example.vn")
            _ = try await workflow.perform(.refuse, on: second.id, by: office.desk, input: .init(note: "Không thuộc thẩm quyền."))
            #expect(try await store.slips(dossierID: second.id).map(\.form) == ["03"])

            _ = try await workflow.perform(.forward, on: dossier.id, by: office.desk, input: .init(toUserID: office.processor.id))
            _ = try await workflow.perform(.requestSupplement, on: dossier.id, by: office.processor, input: .init(note: "Bản sao văn bằng.\nẢnh 4x6."))
            _ = try await dependencies.dossiers.answerSupplement(dossierID: dossier.id, applicant: filing.applicant, note: "Đã bổ sung.")
            var later = OfficeHours.civilDate(day: OfficeHours.split(try #require(accepted.dueAt)).day).adding(days: 10)
            while !WorkingCalendar().isWorkingDay(later) { later = later.adding(days: 1) }
            _ = try await workflow.perform(.apologize, on: dossier.id, by: office.desk, input: .init(note: "Chờ ý kiến Bộ.", newDueDate: later))
            let file = try await dependencies.fileStore.write(bytes: CatalogFixture.pdfBytes)
            try await workflow.addResult(dossierID: dossier.id, staff: office.processor, file: file, contentType: "application/pdf",
                                         displayName: "ket-qua.pdf")
            _ = try await workflow.perform(.forward, on: dossier.id, by: office.processor, input: .init(toUserID: office.processor.id))
            _ = try await workflow.perform(.forward, on: dossier.id, by: office.processor, input: .init(toUserID: office.leader.id))
            _ = try await workflow.perform(.finish, on: dossier.id, by: office.leader, input: .init())
            _ = try await workflow.perform(.returnResult, on: dossier.id, by: office.desk, input: .init())
            await dependencies.slips.drawings.drained()
            let all = try await store.slips(dossierID: dossier.id)
            #expect(all.map(\.form) == ["01", "02", "04", "05"])
            // Kept as issued: the receipt is the same row and file, and the file sweep leaves slips alone.
            #expect(all.first == receipt)
            _ = try await dependencies.draftCleanup.sweepFiles(grace: .zero)
            for slip in all {
                let file = try #require(slip.file)
                #expect(try await dependencies.fileStore.read(sha256: file.sha256).readableBytes == Int(file.size))
            }
        }
    }

    @Test("A slip whose PDF was not drawn after its step (a crash right after the commit) is drawn from its kept values when asked for")
    func drawnLater() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let office = try await ProcessingClockTests.Office.make(dependencies)
            let store = dependencies.dossiers.store
            let (_, dossier) = try await ProcessingClockTests.submitted(dependencies)
            _ = try await dependencies.workflow.perform(.accept, on: dossier.id, by: office.desk, input: .init())
            await dependencies.slips.drawings.drained()
            let drawn = try #require(try await store.slips(dossierID: dossier.id).first?.file)

            // The state a crash between the commit and the drawing leaves: the row without its file.
            try await dependencies.database.transaction { db in
                try await db.raw("UPDATE dossier_slips SET sha256 = '', size_bytes = 0 WHERE dossier_id = \(bind: dossier.id)").run()
            }
            try await dependencies.fileStore.delete(sha256: drawn.sha256)
            let pending = try #require(try await store.slips(dossierID: dossier.id).first)
            #expect(pending.file == nil)

            let file = try #require(try await dependencies.slips.file(of: pending, dossierID: dossier.id, store: store))
            #expect(file == drawn, "the PDF drawn later differs from the one drawn after the step")
            #expect(try await dependencies.fileStore.read(sha256: file.sha256).readableBytes == Int(file.size))
            #expect(try await store.slips(dossierID: dossier.id).first?.file == drawn)
        }
    }

    @Test("A step answers without waiting for its slip: beyond the drawings allowed at once the slip is left for its first download, and a download waits for a drawing in flight")
    func drawnInBackground() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let office = try await ProcessingClockTests.Office.make(dependencies)
            let store = dependencies.dossiers.store
            // No drawing allowed at once: the steps below leave their slips undrawn, as a burst would.
            var workflow = dependencies.workflow
            var slips = dependencies.slips
            slips.drawings = SlipDrawings(limit: 0)
            workflow.slips = slips
            let (_, first) = try await ProcessingClockTests.submitted(dependencies)
            _ = try await workflow.perform(.accept, on: first.id, by: office.desk, input: .init())
            let left = try #require(try await store.slips(dossierID: first.id).first)
            #expect(left.form == "01" && left.file == nil)
            let file = try #require(try await slips.file(of: left, dossierID: first.id, store: store))
            #expect(try await dependencies.fileStore.read(sha256: file.sha256).readableBytesView.starts(with: Array("%PDF-".utf8)))
            #expect(try await store.slips(dossierID: first.id).first?.file == file)

            // With drawings allowed, a download asked for at once gets the drawing in flight (or the file it made).
            let (_, second) = try await ProcessingClockTests.submitted(dependencies, email: "nguoi.thu.hai@example.vn")
            _ = try await dependencies.workflow.perform(.accept, on: second.id, by: office.desk, input: .init())
            let issued = try #require(try await store.slips(dossierID: second.id).first)
            let downloaded = try #require(try await dependencies.slips.file(of: issued, dossierID: second.id, store: store))
            await dependencies.slips.drawings.drained()
            #expect(try await store.slips(dossierID: second.id).first?.file == downloaded)
        }
    }
}
