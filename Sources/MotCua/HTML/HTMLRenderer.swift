import Crypto
import Foundation
import Hummingbird
import Mustache

/// Renders page view models with the Mustache templates shipped in the package. Templates escape
/// `{{value}}` by default; none of ours uses triple braces on user data (triple braces hold only HTML made here:
/// the QR code SVG of partials/slip-qr, which `QRCode.svg` makes from modules and an escaped label, the rows
/// of a list, a `RenderedFragment` from `rows(_:template:)`, and the layout's menu, `navigation(_:)`, both
/// escaped by their own template).
public struct HTMLRenderer: Sendable {
    let library: MustacheLibrary
    /// Rows already rendered, by their view model (see `FragmentCache`).
    let fragments = FragmentCache()
    /// Pages already rendered, by their view model (see `PageCache`).
    let pages = PageCache()
    /// The markers of `FragmentHoles`: random, made at start, never sent.
    private let holeNonce = (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 36) }.joined(separator: "-")

    public init(directory: String, assetVersion: String? = nil) async throws {
        MustacheContentTypes.register(HTMLEscaping(), named: HTMLEscaping.name)
        var library = MustacheLibrary()
        let root = directory.hasSuffix("/") ? directory : directory + "/"
        for case let path as String in FileManager.default.enumerator(atPath: root)?.allObjects ?? [] where path.hasSuffix(".mustache") {
            var text = try String(contentsOfFile: root + path, encoding: .utf8)
            // Stylesheet URLs carry a digest of the file, so a new release is never styled by a stale cache.
            if let assetVersion {
                text = text.replacingOccurrences(of: "/static/css/site.css", with: "/static/css/site.css?v=\(assetVersion)")
            }
            // A standalone line: it leaves no trace in the output.
            do {
                try library.register("{{% CONTENT_TYPE: \(HTMLEscaping.name) }}\n" + text, named: String(path.dropLast(".mustache".count)))
            } catch {
                throw RendererError.templateInvalid(path, error)
            }
        }
        self.library = library
    }

    /// The templates in the package's resources.
    public static func bundled() async throws -> HTMLRenderer {
        guard let url = Bundle.module.url(forResource: "Templates", withExtension: nil, subdirectory: "Resources") else {
            throw RendererError.templatesMissing
        }
        let css = Bundle.module.url(forResource: "site", withExtension: "css", subdirectory: "Resources/public/css")
            .flatMap { FileManager.default.contents(atPath: $0.path) }
        let version = css.map { SHA256.hash(data: $0).prefix(6).hexDigits }
        return try await HTMLRenderer(directory: url.path, assetVersion: version)
    }

    /// The page of `model`: copied from `pages` when a model with the same bytes was rendered before (its
    /// list rows placed in it), rendered and kept otherwise.
    func render<Model: PageModel>(_ model: Model, status: HTTPResponse.Status = .ok) throws -> HTML {
        let (bytes, fragments) = PageKeyEncoder.encode(model)
        let key = PageCache.Key(model: ObjectIdentifier(Model.self), bytes: bytes)
        if let text = pages.page(key)?.filled(with: fragments) {
            return HTML(body: text, status: status)
        }
        let holes = FragmentHoles(nonce: holeNonce)
        let page = holes.page(try renderTemplate(model, holes: holes))
        guard let filled = page.filled(with: fragments) else {
            // Not expected (both encoders meet the fragments in the same order): the page without holes.
            return HTML(body: try renderTemplate(model, holes: nil), status: status)
        }
        pages.store(key, page)
        return HTML(body: filled, status: status)
    }

    /// The page through its template, with the layout's menu (without `pages`: the tests' reference too).
    func renderTemplate<Model: PageModel>(_ model: Model, holes: FragmentHoles?) throws -> String {
        var tree = TemplateContext.make(model, holes: holes)
        if var node = tree as? TemplateNode {
            node.values["navigation"] = TemplateText(text: try navigation(model.chrome))
            tree = node
        }
        guard let text = library.render(tree, withTemplate: Model.template) else {
            throw RendererError.templateMissing(Model.template)
        }
        return text
    }

    /// The main menu of the layout (`partials/navigation`, `{{{navigation}}}`), kept in `fragments` by what it
    /// depends on: the section, the visitor's roles and name, and the sign-out form's token. Its two dozen
    /// tags cost as much as a list row each time; the menus in use are few (one per section for visitors, one
    /// per section and session for the signed in).
    private func navigation(_ chrome: PageChrome) throws -> String {
        var key = chrome
        key.title = ""
        key.searchText = ""
        key.year = 0
        return try fragments.fragments([key], kind: "partials/navigation") { chrome in
            guard let html = library.render(TemplateContext.make(chrome), withTemplate: "partials/navigation") else {
                throw RendererError.templateMissing("partials/navigation")
            }
            return html
        }[0]
    }

    /// The rows of a list, each through `template` with the row as its only context, joined; a row whose
    /// view model was rendered before is taken from `fragments`.
    func rows<Row: Encodable & Hashable & Sendable>(_ rows: [Row], template: String) throws -> RenderedFragment {
        let html = try fragments.fragments(rows, kind: template) { row in
            guard let html = library.render(TemplateContext.make(row), withTemplate: template) else {
                throw RendererError.templateMissing(template)
            }
            return html
        }
        return RenderedFragment(html: html.joined())
    }

    enum RendererError: Error {
        case templatesMissing
        case templateMissing(String)
        case templateInvalid(String, any Error)
    }
}
