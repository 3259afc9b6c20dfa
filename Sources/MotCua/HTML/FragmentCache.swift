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
/// Bounded by two generations of `limit` entries for each kind of row: lookups promote from the older one,
/// and when the newer is full the older is dropped (an approximate least-recently-used set, with no
/// bookkeeping per hit). Each kind (and row type) has a store of its own, typed: a key compares as its row
/// type, without `AnyHashable`'s dynamic casts (half of the lookups' cost), and rows of different kinds
/// never meet.
final class FragmentCache: Sendable {
    /// A row of `kind` (a template, a JSON shape) with its model.
    struct Key<Model: Hashable & Sendable>: Hashable, Sendable {
        let kind: String
        let model: Model
    }

    private struct StoreID: Hashable {
        let kind: String
        let type: ObjectIdentifier
    }

    private let stores = Mutex<[StoreID: any CountedStore]>([:])
    let limit: Int

    init(limit: Int = 4_096) {
        self.limit = max(1, limit)
    }

    /// The text kept for each key (nil where there is none).
    func lookup<Model>(_ keys: [Key<Model>]) -> [String?] {
        keys.map { store($0.kind, Model.self).lookup([$0.model])[0] }
    }

    func store<Model>(_ entries: [(Key<Model>, String)]) {
        for (key, text) in entries { store(key.kind, Model.self).store([(key.model, text)]) }
    }

    var count: Int { stores.withLock { $0.values.reduce(0) { $0 + $1.count } } }

    /// The fragment of each row, in order: kept ones copied, the others made by `make` and kept.
    /// `kind` names how a row becomes text (a template, a JSON shape), so one cache serves several.
    func fragments<Row: Hashable & Sendable>(_ rows: [Row], kind: String, make: (Row) throws -> String) rethrows -> [String] {
        let store = store(kind, Row.self)
        let found = store.lookup(rows)
        var made: [(Row, String)] = []
        let fragments = try rows.indices.map { index in
            if let fragment = found[index] { return fragment }
            let fragment = try make(rows[index])
            made.append((rows[index], fragment))
            return fragment
        }
        store.store(made)
        return fragments
    }

    private func store<Model: Hashable & Sendable>(_ kind: String, _ type: Model.Type) -> Store<Model> {
        let id = StoreID(kind: kind, type: ObjectIdentifier(type))
        return stores.withLock { stores in
            if let store = stores[id] as? Store<Model> { return store }
            let store = Store<Model>(limit: limit)
            stores[id] = store
            return store
        }
    }
}

private protocol CountedStore: AnyObject, Sendable {
    var count: Int { get }
}

/// The kept rows of one kind, by their model.
private final class Store<Model: Hashable & Sendable>: CountedStore {
    private struct Generations {
        var current: [Model: String] = [:]
        var previous: [Model: String] = [:]
    }

    private let state = Mutex(Generations())
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    var count: Int { state.withLock { $0.current.count + $0.previous.count } }

    /// The text kept for each model (nil where there is none), under one lock.
    func lookup(_ models: [Model]) -> [String?] {
        state.withLock { state in
            models.map { model in
                if let text = state.current[model] { return text }
                guard let text = state.previous[model] else { return nil }
                Self.insert(model, text, into: &state, limit: limit)
                return text
            }
        }
    }

    func store(_ entries: [(Model, String)]) {
        guard !entries.isEmpty else { return }
        state.withLock { state in
            for (model, text) in entries { Self.insert(model, text, into: &state, limit: limit) }
        }
    }

    private static func insert(_ model: Model, _ text: String, into state: inout Generations, limit: Int) {
        if state.current.count >= limit {
            state.previous = state.current
            state.current = [:]
        }
        state.current[model] = text
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
