import Foundation
import Testing

@testable import MotCua

/// A list's rows rendered once per distinct view model (`HTMLRenderer.rows`, `FragmentCache`).
@Suite("Rendered rows kept by their view model")
struct FragmentCacheTests {
    struct Row: Encodable, Hashable, Sendable {
        var name: String
        var note: String?
    }

    private func renderer() async throws -> (HTMLRenderer, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fragments-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try "<li>{{name}}{{#note}} ({{note}}){{/note}}</li>".write(
            to: directory.appendingPathComponent("row.mustache"), atomically: true, encoding: .utf8)
        return (try await HTMLRenderer(directory: directory.path), directory)
    }

    @Test("Rows render escaped, in order; a row seen before comes from the cache, a changed one is rendered anew")
    func rowsRenderOncePerModel() async throws {
        let (renderer, directory) = try await renderer()
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = Row(name: "Nguyễn <A> & \"B\"", note: nil)
        let b = Row(name: "Trần Thị B", note: "ghi chú")
        let first = try renderer.rows([a, b, a], template: "row")
        #expect(first.html == "<li>Nguyễn &lt;A&gt; &amp; &quot;B&quot;</li><li>Trần Thị B (ghi chú)</li><li>Nguyễn &lt;A&gt; &amp; &quot;B&quot;</li>")
        #expect(renderer.fragments.count == 2)

        // What is kept is what is served: a planted entry shows that a known row is not rendered again.
        renderer.fragments.store([(FragmentCache.Key(kind: "row", model: b), "<li>kept</li>")])
        #expect(try renderer.rows([b], template: "row").html == "<li>kept</li>")

        // Another value is another key: the changed row is rendered, the old one stays as it was.
        let changed = Row(name: "Trần Thị B", note: "đã bổ sung")
        #expect(try renderer.rows([changed, a], template: "row").html
                == "<li>Trần Thị B (đã bổ sung)</li><li>Nguyễn &lt;A&gt; &amp; &quot;B&quot;</li>")
        #expect(renderer.fragments.count == 3)
        #expect(try renderer.rows([Row](), template: "row").html == "")
    }

    @Test("The cache holds at most two generations of its limit; a hit in the older one is kept")
    func boundedByTwoGenerations() {
        let cache = FragmentCache(limit: 2)
        let key = { (name: String) in FragmentCache.Key(kind: "row", model: Row(name: name, note: nil)) }
        cache.store([(key("a"), "A"), (key("b"), "B")])
        cache.store([(key("c"), "C")])  // the newer generation was full: a and b are now the older one
        #expect(cache.lookup([key("a"), key("b"), key("c")]) == ["A", "B", "C"])
        // Each hit in the older generation moved into the newer one; storing more drops the oldest entries.
        cache.store([(key("d"), "D"), (key("e"), "E")])
        #expect(cache.count <= 4)
        #expect(cache.lookup([key("d"), key("e")]) == ["D", "E"])
        #expect(cache.lookup([key("zzz")]) == [nil])
    }
}
