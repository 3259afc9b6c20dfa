import Crypto
import Foundation
import Hummingbird
import Mustache

/// A rendered page: `text/html; charset=utf-8` with the given status.
public struct HTML: ResponseGenerator, Sendable {
    let body: String
    var status: HTTPResponse.Status = .ok

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Common parts of every page: title, current navigation item, search text, and who is signed in.
/// Flags are stored, not computed: templates see stored properties only.
public struct PageChrome: Sendable {
    var title: String
    var searchText: String
    var year = Calendar(identifier: .gregorian).component(.year, from: Date())
    var isHome: Bool
    var isCatalog: Bool
    var isAccount: Bool
    var isLookup: Bool
    var isDossiers: Bool
    var isStaffAdmin: Bool
    var isOutbox: Bool
    var isBackOffice: Bool
    var isCalendar: Bool
    var signedIn: Bool
    var userName: String?
    var isStaff: Bool
    var isAgencyAdmin: Bool
    var isSystemAdmin: Bool
    /// Receptionists, processors and leaders see the back office instead of "my dossiers".
    var worksOnDossiers: Bool
    var filesDossiers: Bool
    /// For the sign-out form in the header; empty on pages shared by everyone (cached).
    var csrfToken: String

    enum Section: String, Sendable { case none, home, catalog, account, lookup, dossiers, staffAdmin, outbox, backOffice, calendar }

    init(title: String, section: Section = .none, searchText: String = "", user: User? = nil, csrfToken: String = "") {
        self.title = title
        self.searchText = searchText
        self.isHome = section == .home
        self.isCatalog = section == .catalog
        self.isAccount = section == .account
        self.isLookup = section == .lookup
        self.isDossiers = section == .dossiers
        self.isStaffAdmin = section == .staffAdmin
        self.isOutbox = section == .outbox
        self.isBackOffice = section == .backOffice
        self.isCalendar = section == .calendar
        self.signedIn = user != nil
        self.userName = user?.displayName
        self.isStaff = user?.isStaff ?? false
        self.isAgencyAdmin = user?.role == .agencyAdmin
        self.isSystemAdmin = user?.role == .systemAdmin
        self.worksOnDossiers = user?.role?.worksOnDossiers ?? false
        self.filesDossiers = user.map { !$0.isStaff } ?? false
        self.csrfToken = csrfToken
    }

    init(title: String, section: Section = .none, searchText: String = "", context: AppRequestContext) {
        self.init(title: title, section: section, searchText: searchText, user: context.identity?.user, csrfToken: context.csrfToken)
    }

    init(title: String, section: Section = .none, context: AuthenticatedContext) {
        self.init(title: title, section: section, user: context.user, csrfToken: context.csrfToken)
    }
}

/// A page's typed view model: the template it renders with and the chrome the layout reads.
protocol PageModel: Sendable {
    static var template: String { get }
    var chrome: PageChrome { get }
}

/// Renders page view models with the Mustache templates shipped in the package. Templates escape
/// `{{value}}` by default; none of ours uses triple braces on user data.
public struct HTMLRenderer: Sendable {
    let library: MustacheLibrary

    public init(directory: String, assetVersion: String? = nil) async throws {
        var library = try await MustacheLibrary(directory: directory)
        // Stylesheet URLs carry a digest of the file, so a new release is never styled by a stale cache.
        if let assetVersion,
           let layout = try? String(contentsOfFile: directory + "/layout.mustache", encoding: .utf8)
        {
            try library.register(
                layout.replacingOccurrences(of: "/static/css/site.css", with: "/static/css/site.css?v=\(assetVersion)"),
                named: "layout")
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
        let version = css.map { SHA256.hash(data: $0).prefix(6).map { String(format: "%02x", $0) }.joined() }
        return try await HTMLRenderer(directory: url.path, assetVersion: version)
    }

    func render<Model: PageModel>(_ model: Model, status: HTTPResponse.Status = .ok) throws -> HTML {
        guard let text = library.render(TemplateContext.make(model), withTemplate: Model.template) else {
            throw RendererError.templateMissing(Model.template)
        }
        return HTML(body: text, status: status)
    }

    enum RendererError: Error {
        case templatesMissing
        case templateMissing(String)
    }
}
