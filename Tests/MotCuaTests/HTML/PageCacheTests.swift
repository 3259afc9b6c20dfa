import Foundation
import Testing

@testable import MotCua

/// Pages kept by the bytes of their view model (`PageCache`, `PageKeyEncoder`): a page served from the
/// cache is the page the template makes of that model, never another model's.
@Suite("Rendered pages kept by their model")
struct PageCacheTests {
    struct Item: Encodable {
        var name: String
        var note: String?
    }

    struct Model: Encodable {
        var items: [Item]
        var note: String?
        var count: Int
        var flag: Bool
        var rows: RenderedFragment
    }

    static func key(_ model: some Encodable) -> [UInt8] { PageKeyEncoder.encode(model).key }

    @Test("Models that differ anywhere have different keys; the fragments are set aside, in order")
    func keys() {
        let base = Model(items: [Item(name: "Nguyễn Văn An", note: nil)], note: "x", count: 1, flag: false, rows: RenderedFragment(html: "<tr>1</tr>"))
        #expect(Self.key(base) == Self.key(base))
        var changes: [Model] = []
        for change in [
            { (m: inout Model) in m.items[0].name = "Nguyễn Văn Ân" }, { $0.items[0].note = "" }, { $0.items.append(Item(name: "", note: nil)) },
            { $0.items = [] }, { $0.note = nil }, { $0.note = "y" }, { $0.count = 2 }, { $0.flag = true },
        ] as [(inout Model) -> Void] {
            var copy = base
            change(&copy)
            changes.append(copy)
        }
        let keys = [Self.key(base)] + changes.map(Self.key)
        #expect(Set(keys).count == keys.count, "every change gives another key")

        // A value may not pass for its neighbour's: the element's optional note against the page's.
        let inner = Model(items: [Item(name: "a", note: "b")], note: nil, count: 0, flag: false, rows: RenderedFragment(html: ""))
        let outer = Model(items: [Item(name: "a", note: nil)], note: "b", count: 0, flag: false, rows: RenderedFragment(html: ""))
        #expect(Self.key(inner) != Self.key(outer))

        // Two spellings of one name are shown as their bytes, so they are two keys.
        var nfd = base
        nfd.items[0].name = base.items[0].name.decomposedStringWithCanonicalMapping
        #expect(nfd.items[0].name == base.items[0].name && Self.key(nfd) != Self.key(base))

        // The rows are not part of the key: they are placed in the kept page.
        var otherRows = base
        otherRows.rows = RenderedFragment(html: "<tr>2</tr>")
        #expect(Self.key(otherRows) == Self.key(base))
        #expect(PageKeyEncoder.encode(otherRows).fragments == ["<tr>2</tr>"])
    }

    static func page(_ rows: String, status: String = "Đã tiếp nhận", user: String = "Nguyễn Văn An") -> MyDossiersPage {
        MyDossiersPage(
            chrome: PageChrome(title: "Hồ sơ của tôi", section: .dossiers, user: nil, csrfToken: "token-1"),
            rows: RenderedFragment(html: rows), hasRows: !rows.isEmpty,
            statuses: [SelectOption(value: "1", label: status, selected: true), SelectOption(value: "2", label: user, selected: false)],
            pager: PagerLinks(first: nil, next: "/ho-so?sau=5", hasLinks: true))
    }

    @Test("A page from the cache is the template's page of that model: other rows in the kept frame, another model rendered anew")
    func renderer() async throws {
        let renderer = try await HTMLRenderer.bundled()
        let models = [
            Self.page("<tr><td>000.00.08.H06-261207-0001</td></tr>"),
            Self.page("<tr><td>000.00.08.H06-261207-0002</td></tr>"),  // the same frame, other rows
            Self.page("<tr><td>000.00.08.H06-261207-0002</td></tr>", status: "Đã trả kết quả"),  // another frame
            Self.page(""),  // no rows: the template shows none
            // A visitor's text that looks like a hole's marker is shown as it is (the nonce is not known).
            Self.page("<tr>x</tr>", user: "\u{1}0\u{1} \u{1}" + "abc" + "0\u{1}"),
            Self.page("<tr><td>000.00.08.H06-261207-0001</td></tr>"),
        ]
        for model in models {
            for _ in 0..<2 {
                let served = try renderer.render(model).body
                let reference = try renderer.renderTemplate(model, holes: nil)
                #expect(served == reference)
            }
        }
        #expect(renderer.pages.count == 4, "four frames: the first, another status, no rows, the marker-like name")
        #expect(try renderer.render(models[1]).body.contains("000.00.08.H06-261207-0002"))
    }

    @Test("Kept pages are bounded by bytes: the older generation is dropped when the newer is full")
    func bounded() {
        let cache = PageCache(limitBytes: 4_000)
        func key(_ n: Int) -> PageCache.Key { PageCache.Key(model: ObjectIdentifier(Int.self), bytes: Array(String(n).utf8)) }
        let page = PageCache.Page(parts: [String(repeating: "a", count: 500)], holes: [])
        for n in 0..<20 { cache.store(key(n), page) }
        #expect(cache.count <= 8, "two generations of at most 2 000 bytes")
        #expect(cache.page(key(19)) != nil && cache.page(key(0)) == nil)
        // A page larger than a generation is not kept.
        cache.store(key(99), PageCache.Page(parts: [String(repeating: "b", count: 2_500)], holes: []))
        #expect(cache.page(key(99)) == nil)
        // A hole for a fragment that is not there: no page is made of it.
        #expect(PageCache.Page(parts: ["a", "b"], holes: [1]).filled(with: ["x"]) == nil)
        #expect(PageCache.Page(parts: ["a", "b"], holes: [0]).filled(with: ["x"]) == "axb")
    }
}
