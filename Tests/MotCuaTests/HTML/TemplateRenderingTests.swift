import Foundation
import Mustache
import Testing

@testable import MotCua

/// The template tree made from a view model's `Encodable` conformance, and our HTML escaping, against
/// swift-mustache's own behaviour.
@Suite("Template rendering")
struct TemplateRenderingTests {
    struct Row: Encodable {
        var name: String
        var count: Int
        var note: String?
    }

    struct Model: Encodable {
        var title: String
        var flag: Bool
        var off: Bool
        var missing: String?
        var present: String?
        var total: Int64
        var share: Double
        var rows: [Row]
        var empty: [Row]
    }

    static let template = """
        {{title}}|{{#flag}}on{{/flag}}{{^off}}off{{/off}}|{{^missing}}none{{/missing}}{{#present}}[{{present}}]{{/present}}|\
        {{total}} {{share}}|{{#rows}}<{{name}}:{{count}}{{#note}} ({{note}}){{/note}}>{{/rows}}{{^empty}}no rows{{/empty}}
        """

    @Test("The tree of a view model renders as Mustache renders the struct itself")
    func treeMatchesTheStruct() throws {
        let model = Model(
            title: "Hồ sơ <1> & \"2\"", flag: true, off: false, missing: nil, present: "có", total: 1_000_000_000_000, share: 0.25,
            rows: [Row(name: "Nguyễn Văn A", count: 3, note: nil), Row(name: "Trần Thị B", count: 0, note: "ghi chú")], empty: [])
        let plain = try MustacheTemplate(string: Self.template)
        let fromTree = plain.render(TemplateContext.make(model))
        #expect(fromTree == plain.render(model))
        #expect(fromTree == """
            Hồ sơ &lt;1&gt; &amp; &quot;2&quot;|onoff|none[có]|1000000000000 0.25|<Nguyễn Văn A:3><Trần Thị B:0 (ghi chú)>no rows
            """)
    }

    @Test("Our escaping gives what swift-mustache's HTML escaping gives", arguments: [
        "", "Sở Nội vụ tỉnh Quảng Ninh", "<script>alert('x')</script>", "a & b", "\"quoted\" 'single'",
        "Bảo hiểm > 5 năm < 10 năm", "emoji 🇻🇳 & text", "already &amp; escaped", String(repeating: "Hồ sơ ", count: 500) + "<",
        "Nguyễn\u{0301}", // a combining mark after a letter (not after a special character: see HTMLEscaping)
    ])
    func escapingMatchesTheLibrary(text: String) throws {
        let library = try MustacheTemplate(string: "{{text}}")
        #expect(HTMLEscaping.escape(text) == library.render(["text": text]))
    }

    @Test("Every bundled template escapes values with our content type")
    func bundledTemplatesEscape() async throws {
        let renderer = try await HTMLRenderer.bundled()
        let page = MessagePage(chrome: PageChrome(title: "<b>tiêu đề</b>"), heading: "Lỗi <i>", paragraphs: ["a & 'b'"])
        let html = try renderer.render(page).body
        #expect(html.contains("&lt;b&gt;tiêu đề&lt;/b&gt;"))
        #expect(html.contains("Lỗi &lt;i&gt;"))
        #expect(html.contains("a &amp; &#39;b&#39;"))
        #expect(!html.contains("<b>tiêu đề</b>"))
        // The content type line leaves no trace.
        #expect(!html.contains("CONTENT_TYPE"))
        #expect(html.hasPrefix("<!DOCTYPE html>") || html.hasPrefix("<!doctype html>"))
    }
}
