import Synchronization

/// The text of a list's rows (a page's HTML rows, an API answer's JSON rows), kept by the value of each
/// row's model.
///
/// A row's text is a pure function of how it is made (its template, its JSON shape: the key's `kind`) and of
/// its model (every field it shows, already formatted, including what depends on the hour, such as
/// "overdue"), so a row seen before is copied, not made again, and there is nothing to invalidate: a dossier
/// that changed has another model and so another key. Rendering through swift-mustache costs several
/// protocol casts per tag, about 80 µs of CPU for a back office row; a queue of 50 rows was most of its page's
/// cost. Staff reload the same queues all day, and most rows of a queue stay the same between two reloads.
///
/// Bounded by two generations of `limit` entries: lookups promote from the older one, and when the newer is
/// full the older is dropped (an approximate least-recently-used set, with no bookkeeping per hit).
final class FragmentCache: Sendable {
    /// `AnyHashable` is not `Sendable`; the initializer takes only `Sendable` models, so the key is.
    struct Key: Hashable, @unchecked Sendable {
        let kind: String
        let model: AnyHashable

        init<Model: Hashable & Sendable>(kind: String, model: Model) {
            self.kind = kind
            self.model = AnyHashable(model)
        }
    }

    private struct Generations {
        var current: [Key: String] = [:]
        var previous: [Key: String] = [:]
    }

    private let state = Mutex(Generations())
    let limit: Int

    init(limit: Int = 4_096) {
        self.limit = max(1, limit)
    }

    /// The text kept for each key (nil where there is none), under one lock.
    func lookup(_ keys: [Key]) -> [String?] {
        state.withLock { state in
            keys.map { key in
                if let text = state.current[key] { return text }
                guard let text = state.previous[key] else { return nil }
                Self.insert(key, text, into: &state, limit: limit)
                return text
            }
        }
    }

    func store(_ entries: [(Key, String)]) {
        guard !entries.isEmpty else { return }
        state.withLock { state in
            for (key, text) in entries { Self.insert(key, text, into: &state, limit: limit) }
        }
    }

    var count: Int { state.withLock { $0.current.count + $0.previous.count } }

    /// The fragment of each row, in order: kept ones copied, the others made by `make` and kept.
    /// `kind` names how a row becomes text (a template, a JSON shape), so one cache serves several.
    func fragments<Row: Hashable & Sendable>(_ rows: [Row], kind: String, make: (Row) throws -> String) rethrows -> [String] {
        let keys = rows.map { Key(kind: kind, model: $0) }
        let found = lookup(keys)
        var made: [(Key, String)] = []
        let fragments = try rows.indices.map { index in
            if let fragment = found[index] { return fragment }
            let fragment = try make(rows[index])
            made.append((keys[index], fragment))
            return fragment
        }
        store(made)
        return fragments
    }

    private static func insert(_ key: Key, _ text: String, into state: inout Generations, limit: Int) {
        if state.current.count >= limit {
            state.previous = state.current
            state.current = [:]
        }
        state.current[key] = text
    }
}

/// HTML the renderer made from a template (the rows of a list), placed in a page with triple braces.
struct RenderedFragment: Encodable, Sendable {
    let html: String

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(html)
    }
}
