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

/// The layout's menu is kept by the chrome it was made from (`HTMLRenderer.navigation`): one visitor's name and
/// sign-out token never reach another's page, and each page marks its own section.
@Suite("The layout's menu kept per section and visitor")
struct NavigationCacheTests {
    private func user(_ id: Int64, _ name: String, role: StaffRole? = nil) -> User {
        User(id: id, kind: role == nil ? .individual : .staff, email: "u\(id)@example.vn", displayName: name, phone: "", address: "",
             role: role, emailVerified: true, disabled: false)
    }

    private func page(_ chrome: PageChrome) -> MessagePage {
        MessagePage(chrome: chrome, heading: "Tiêu đề", paragraphs: [])
    }

    @Test("Two visitors in the same section each get their own name, token and menu")
    func menusDoNotLeakBetweenVisitors() async throws {
        let renderer = try await HTMLRenderer.bundled()
        let lan = user(1, "Nguyễn Thị Lan")
        let hung = user(2, "Trần Văn Hùng", role: .receptionist)
        let first = try renderer.render(page(PageChrome(title: "A", section: .account, user: lan, csrfToken: "token-lan"))).body
        let second = try renderer.render(page(PageChrome(title: "B", section: .account, user: hung, csrfToken: "token-hung"))).body
        let again = try renderer.render(page(PageChrome(title: "C", section: .account, user: lan, csrfToken: "token-lan"))).body

        #expect(first.contains("Tài khoản: Nguyễn Thị Lan") && first.contains(#"value="token-lan""#))
        #expect(first.contains(#"href="/ho-so""#) && !first.contains(#"href="/mot-cua""#))
        #expect(second.contains("Tài khoản: Trần Văn Hùng") && second.contains(#"value="token-hung""#))
        #expect(!second.contains("Nguyễn Thị Lan") && !second.contains("token-lan"))
        #expect(second.contains(#"href="/mot-cua""#) && !second.contains(#"href="/ho-so""#))
        // The kept menu is the same text; the title is the page's own.
        #expect(again.replacingOccurrences(of: "<title>C", with: "<title>A") == first)
    }

    @Test("An anonymous visitor's menu marks the page's section and offers sign-in")
    func anonymousMenuMarksSection() async throws {
        let renderer = try await HTMLRenderer.bundled()
        let lookup = try renderer.render(page(PageChrome(title: "Tra cứu", section: .lookup))).body
        let catalog = try renderer.render(page(PageChrome(title: "Thủ tục", section: .catalog))).body
        #expect(lookup.contains(#"<a href="/tra-cuu" aria-current="page">"#))
        #expect(!lookup.contains(#"<a href="/thu-tuc" aria-current="page">"#))
        #expect(catalog.contains(#"<a href="/thu-tuc" aria-current="page">"#))
        #expect(!catalog.contains(#"<a href="/tra-cuu" aria-current="page">"#))
        #expect(lookup.contains(#"<a href="/dang-nhap">Đăng nhập</a>"#) && !lookup.contains("Đăng xuất"))
    }
}
