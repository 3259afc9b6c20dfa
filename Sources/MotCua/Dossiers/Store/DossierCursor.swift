/// Where a list page ends, for keyset pagination: the sort key of its last row, so the next page is an
/// index range scan from there (no OFFSET over a large list). Opaque to clients: "<id>" for the applicant's
/// list (newest id first), "<submitted_at>.<id>" for an agency's queue (newest submission first).
struct DossierCursor: Sendable, Equatable {
    var submittedAt: Int64?
    var id: Int64

    init(submittedAt: Int64? = nil, id: Int64) {
        self.submittedAt = submittedAt
        self.id = id
    }

    /// Parses a cursor this portal made; nil for anything else.
    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard text.utf8.count <= 40, (1...2).contains(parts.count), let id = Int64(parts[parts.count - 1]), id > 0 else { return nil }
        if parts.count == 2 {
            guard let submittedAt = Int64(parts[0]), submittedAt >= 0 else { return nil }
            self.submittedAt = submittedAt
        }
        self.id = id
    }

    var text: String { submittedAt.map { "\($0).\(id)" } ?? String(id) }
}
