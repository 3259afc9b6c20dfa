import Synchronization

/// Pages already rendered, kept by the exact bytes of their view model (`PageKeyEncoder`), so that a page
/// whose model was rendered before is copied instead of rendered again through swift-mustache.
///
/// A page is a pure function of its template and its model (the renderer reads nothing else), so there is
/// nothing to invalidate: a dossier that changed, another count in a tab, another session's token, another
/// hour shown, each gives another model and so another key. Everything a page shows is still read and
/// built on each request; only the template's work is saved: on the back office's 50-row queue page that
/// work (the layout, tabs and filter form around the rows, and building the template's tree) was a fifth of
/// the server's CPU (`perf`, bench/issue11.sh), on the staff dossier page a third.
///
/// A list's rows (`RenderedFragment`, kept apart by `FragmentCache`) are not part of the key: the page is
/// kept with a hole where they go and the rows of the moment are placed in it, so a queue whose rows changed
/// still finds its frame.
///
/// Bounded by bytes in two generations (lookups promote from the older one; when the newer is full the
/// older is dropped).
final class PageCache: Sendable {
    struct Key: Hashable, Sendable {
        let model: ObjectIdentifier
        let bytes: [UInt8]

        static func == (l: Self, r: Self) -> Bool {
            l.model == r.model && l.bytes.count == r.bytes.count
                && l.bytes.withUnsafeBytes { left in r.bytes.withUnsafeBytes { right in left.elementsEqual(right) } }
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(model)
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// A rendered page cut at its holes: `parts[0]`, fragment `holes[0]`, `parts[1]`, … , the last part.
    struct Page: Sendable {
        let parts: [String]
        let holes: [Int]

        var size: Int { parts.reduce(0) { $0 + $1.utf8.count } }

        /// The page with `fragments` in its holes; nil if it has a hole for a fragment that is not there.
        func filled(with fragments: [String]) -> String? {
            guard holes.allSatisfy({ fragments.indices.contains($0) }) else { return nil }
            guard !holes.isEmpty else { return parts[0] }
            var text = ""
            text.reserveCapacity(size + holes.reduce(0) { $0 + fragments[$1].utf8.count })
            for (index, part) in parts.enumerated() {
                text += part
                if index < holes.count { text += fragments[holes[index]] }
            }
            return text
        }
    }

    private struct Generations {
        var current: [Key: Page] = [:]
        var currentBytes = 0
        var previous: [Key: Page] = [:]
    }

    private let state = Mutex(Generations())
    /// Bytes (pages and keys) each generation may hold.
    let generationBytes: Int

    init(limitBytes: Int = 32 << 20) {
        generationBytes = max(1, limitBytes / 2)
    }

    func page(_ key: Key) -> Page? {
        state.withLock { state in
            if let page = state.current[key] { return page }
            guard let page = state.previous.removeValue(forKey: key) else { return nil }
            Self.insert(key, page, into: &state, limit: generationBytes)
            return page
        }
    }

    func store(_ key: Key, _ page: Page) {
        state.withLock { state in Self.insert(key, page, into: &state, limit: generationBytes) }
    }

    var count: Int { state.withLock { $0.current.count + $0.previous.count } }

    private static func insert(_ key: Key, _ page: Page, into state: inout Generations, limit: Int) {
        let bytes = page.size + key.bytes.count
        guard bytes <= limit else { return }
        if state.currentBytes + bytes > limit {
            state.previous = state.current
            state.current = [:]
            state.currentBytes = 0
        }
        if state.current.updateValue(page, forKey: key) == nil { state.currentBytes += bytes }
    }
}

/// While a page renders for `PageCache`, each `RenderedFragment` is replaced by a marker: a control
/// character, this renderer's random nonce, the fragment's number and the control character again.
/// Nothing a visitor sends can forge one: the nonce never leaves the process (every marker is cut out).
final class FragmentHoles {
    let nonce: String
    private(set) var count = 0

    init(nonce: String) { self.nonce = nonce }

    func marker(for fragment: RenderedFragment) -> String {
        defer { count += 1 }
        return "\u{1}\(nonce)\(count)\u{1}"
    }

    /// `text` cut at its markers.
    func page(_ text: String) -> PageCache.Page {
        let marker = Array("\u{1}\(nonce)".utf8)
        var text = text
        return text.withUTF8 { utf8 -> PageCache.Page in
            var parts: [String] = []
            var holes: [Int] = []
            var start = 0
            var index = 0
            while let found = utf8[index...].firstIndex(of: 1) {
                index = found + 1
                guard found + marker.count <= utf8.count, utf8[found..<(found + marker.count)].elementsEqual(marker) else { continue }
                var end = found + marker.count
                var number = 0
                while end < utf8.count, end - found - marker.count < 9, (0x30...0x39).contains(utf8[end]) {
                    number = number * 10 + Int(utf8[end] - 0x30)
                    end += 1
                }
                guard end > found + marker.count, end < utf8.count, utf8[end] == 1, number < count else { continue }
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: utf8[start..<found]), as: UTF8.self))
                holes.append(number)
                start = end + 1
                index = start
            }
            parts.append(String(decoding: UnsafeBufferPointer(rebasing: utf8[start...]), as: UTF8.self))
            return PageCache.Page(parts: parts, holes: holes)
        }
    }
}
