import Foundation
import Testing

@testable import MotCua

/// The list rows that `FragmentCache` keys by their bytes (`ByteKey`) list every stored property in `==` and
/// `hash(into:)`: a row that differs in any one of them is another key, or the cache would show a stale row.
@Suite("Byte-wise row keys")
struct ByteKeyTests {
    /// Changes each property of `base` in turn: each change must give another key, and the changes must
    /// cover every stored property of the type.
    static func check<Row: Hashable>(_ base: Row, _ changes: [(String, (inout Row) -> Void)], sourceLocation: SourceLocation = #_sourceLocation) {
        let properties = Mirror(reflecting: base).children.compactMap(\.label)
        #expect(Set(changes.map(\.0)) == Set(properties), "every stored property has its change", sourceLocation: sourceLocation)
        var copy = base
        #expect(copy == base && copy.hashValue == base.hashValue, sourceLocation: sourceLocation)
        for (name, change) in changes {
            copy = base
            change(&copy)
            #expect(copy != base, "a change of \(name) is another key", sourceLocation: sourceLocation)
            #expect(copy.hashValue != base.hashValue, "a change of \(name) hashes differently", sourceLocation: sourceLocation)
        }
    }

    static let summary = DossierSummary(
        id: 7, code: "000.00.08.H06-261207-0001", procedureName: "Thủ tục thi tuyển công chức", agencyName: "Sở Nội vụ tỉnh Bắc Kạn",
        status: .processing, createdAt: 1_765_000_000_000, submittedAt: 1_765_000_100_000, dueAt: 1_765_900_000_000,
        applicantName: "Nguyễn Văn An", stepName: "Thẩm định", holderName: "Trần Thị Bình", stepDueAt: 1_765_500_000_000)

    @Test("A back office row: every property is part of its key")
    func backOfficeRow() {
        let row = BackOfficeRow(
            url: "/mot-cua/ho-so/7", code: "000.00.08.H06-261207-0001", procedureName: "Thủ tục thi tuyển công chức",
            applicantName: "Nguyễn Văn An", submittedAt: "07/12/2026 09:00", dueAt: "17/12/2026 09:00", status: "Đang xử lý",
            overdue: false, dueSoon: false, step: "Thẩm định", holder: "Trần Thị Bình", stepDueAt: "09/12/2026 16:30", stepOverdue: false)
        Self.check(row, [
            ("url", { $0.url += "1" }), ("code", { $0.code += "1" }), ("procedureName", { $0.procedureName += "ạ" }),
            ("applicantName", { $0.applicantName = "Nguyễn Văn Ân" }), ("submittedAt", { $0.submittedAt = "08/12/2026 09:00" }),
            ("dueAt", { $0.dueAt = nil }), ("status", { $0.status = "Đã tiếp nhận" }), ("overdue", { $0.overdue.toggle() }),
            ("dueSoon", { $0.dueSoon.toggle() }), ("step", { $0.step = nil }), ("holder", { $0.holder = "Trần Thị Bính" }),
            ("stepDueAt", { $0.stepDueAt = "" }), ("stepOverdue", { $0.stepOverdue.toggle() }),
        ])
    }

    @Test("A row of \"Hồ sơ của tôi\": every property is part of its key")
    func dossierRow() {
        let row = DossierRow(url: "/ho-so/7", code: "000.00.08.H06-261207-0001", procedureName: "Thủ tục thi tuyển công chức",
                             agencyName: "Sở Nội vụ tỉnh Bắc Kạn", status: "Đang xử lý", createdAt: "07/12/2026", dueAt: nil)
        Self.check(row, [
            ("url", { $0.url += "1" }), ("code", { $0.code = "" }), ("procedureName", { $0.procedureName = "Thủ tục thi tuyển viên chức" }),
            ("agencyName", { $0.agencyName += "." }), ("status", { $0.status = "Đã trả kết quả" }), ("createdAt", { $0.createdAt = "08/12/2026" }),
            ("dueAt", { $0.dueAt = "" }),
        ])
    }

    @Test("The API's list rows: every property is part of their key")
    func apiRows() {
        let applicant: [(String, (inout DossierSummaryDTO) -> Void)] = [
            ("id", { $0.id += 1 }), ("code", { $0.code = nil }), ("procedureName", { $0.procedureName += " " }),
            ("agencyName", { $0.agencyName = "Sở Nội vụ tỉnh Cao Bằng" }), ("status", { $0.status += 1 }),
            ("statusLabel", { $0.statusLabel += "." }), ("createdAt", { $0.createdAt += 1 }), ("submittedAt", { $0.submittedAt = nil }),
            ("dueAt", { $0.dueAt = 0 }),
        ]
        Self.check(DossierSummaryDTO(Self.summary), applicant)
        let staff: [(String, (inout StaffDossierSummaryDTO) -> Void)] = [
            ("id", { $0.id += 1 }), ("code", { $0.code = "x" }), ("procedureName", { $0.procedureName += " " }),
            ("applicantName", { $0.applicantName = "" }), ("status", { $0.status += 1 }), ("statusLabel", { $0.statusLabel += "." }),
            ("submittedAt", { $0.submittedAt = nil }), ("dueAt", { $0.dueAt = nil }), ("overdue", { $0.overdue.toggle() }),
            ("stepName", { $0.stepName = nil }), ("holderName", { $0.holderName = "Trần Thị Bình " }), ("stepDueAt", { $0.stepDueAt = 1 }),
            ("dueState", { $0.dueState = "overdue" }), ("stepDueState", { $0.stepDueState = "dueSoon" }),
        ]
        Self.check(StaffDossierSummaryDTO(Self.summary, now: 1_765_000_200_000), staff)
    }

    @Test("Bytes, not canonical equivalence: the same name in NFC and in NFD is two keys; equal bytes are one")
    func bytes() {
        let composed = "Nguyễn", decomposed = "Nguye\u{0302}\u{0303}n"
        #expect(composed == decomposed)  // Swift's own String equality
        #expect(!ByteKey.same(composed, decomposed))
        #expect(ByteKey.same(composed, String(decoding: Array(composed.utf8), as: UTF8.self)))
        #expect(ByteKey.same(nil, nil) && !ByteKey.same("", nil) && !ByteKey.same("a", "ab"))
        var left = Hasher(), right = Hasher()
        left.combineBytes(of: "ab"); left.combineBytes(of: "c")
        right.combineBytes(of: "a"); right.combineBytes(of: "bc")
        #expect(left.finalize() != right.finalize())
    }
}
