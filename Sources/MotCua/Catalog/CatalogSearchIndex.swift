import Foundation
/// An immutable in-memory index of the catalog for search and filtering.
///
/// The catalog is small (thousands of procedures) and changes only by import, so each process keeps an
/// index built from the database: search is the same on SQLite and PostgreSQL by construction, and fast.
struct CatalogSearchIndex: Sendable {
    /// Procedures in display order (by folded name).
    let entries: [ProcedureSummary]
    /// Every distinct word, sorted, for prefix lookups.
    private let vocabulary: [String]
    /// For each vocabulary word: the entries that contain it anywhere / in their name.
    private let postings: [[Int32]]
    private let namePostings: [[Int32]]

    init(summaries: [ProcedureSummary]) {
        let folded = summaries.map { (summary: $0, key: VietnameseText.fold($0.name)) }
        let sorted = folded.sorted { $0.key == $1.key ? $0.summary.id < $1.summary.id : $0.key < $1.key }
        entries = sorted.map(\.summary)
        var all: [String: [Int32]] = [:]
        var inName: [String: [Int32]] = [:]
        for (index, entry) in entries.enumerated() {
            let nameWords = Set(VietnameseText.words(entry.name))
            let otherWords = Set(VietnameseText.words(entry.otherText + " " + entry.code + " " + entry.fieldName))
            for word in nameWords { inName[word, default: []].append(Int32(index)) }
            for word in nameWords.union(otherWords) { all[word, default: []].append(Int32(index)) }
        }
        vocabulary = all.keys.sorted()
        postings = vocabulary.map { all[$0] ?? [] }
        namePostings = vocabulary.map { inName[$0] ?? [] }
    }

    struct Query: Sendable, Equatable {
        var text: String = ""
        var agencyCode: String?
        var fieldCode: String?
        var onlineLevel: OnlineLevel?
        var page: Int = 1
        var perPage: Int = 20
    }

    struct Result: Sendable {
        var items: [ProcedureSummary]
        var total: Int
    }

    /// Every query word must start a word of the procedure (name, description, documents, result, field);
    /// procedures whose name holds more of the words come first, then by name.
    func search(_ query: Query) -> Result {
        let words = Array(Set(VietnameseText.words(query.text))).prefix(12)
        let hasText = !query.text.trimmingCharacters(in: .whitespaces).isEmpty
        // Text with no searchable word (only symbols such as "%" or "_") matches nothing: it is not a wildcard.
        if hasText && words.isEmpty { return Result(items: [], total: 0) }

        var matches = [Bool](repeating: true, count: entries.count)
        var nameScore = [Int](repeating: 0, count: entries.count)
        for word in words {
            var hit = [Bool](repeating: false, count: entries.count)
            for position in prefixRange(word) {
                for entry in postings[position] { hit[Int(entry)] = true }
                for entry in namePostings[position] { nameScore[Int(entry)] += 1 }
            }
            for index in matches.indices where !hit[index] { matches[index] = false }
        }
        // Entries are already in name order; bucketing by name score (capped at one per query word) keeps
        // that order within each bucket, which is a stable sort in linear time.
        var buckets = [[Int]](repeating: [], count: words.count + 1)
        for (index, entry) in entries.enumerated() where matches[index] {
            if let agency = query.agencyCode, entry.agencyCode != agency { continue }
            if let field = query.fieldCode, entry.fieldCode != field { continue }
            if let level = query.onlineLevel, entry.onlineLevel != level { continue }
            buckets[min(nameScore[index], words.count)].append(index)
        }
        let selected = Array(buckets.reversed().joined())
        let start = (query.page - 1) * query.perPage
        let items = start < selected.count
            ? selected[start..<min(selected.count, start + query.perPage)].map { entries[$0] }
            : []
        return Result(items: items, total: selected.count)
    }

    /// Positions of vocabulary words that start with `prefix`.
    private func prefixRange(_ prefix: String) -> Range<Int> {
        var low = 0, high = vocabulary.count
        while low < high {
            let mid = (low + high) / 2
            if vocabulary[mid] < prefix { low = mid + 1 } else { high = mid }
        }
        var end = low
        while end < vocabulary.count && vocabulary[end].hasPrefix(prefix) { end += 1 }
        return low..<end
    }
}
