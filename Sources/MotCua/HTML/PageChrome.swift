import Foundation

/// Common parts of every page: title, current navigation item, search text, and who is signed in.
/// Flags are stored, not computed: templates see stored properties only.
public struct PageChrome: Sendable, Encodable, Hashable {
    var title: String
    var searchText: String
    var year = Calendar(identifier: .gregorian).component(.year, from: Date())
    var isHome: Bool
    var isCatalog: Bool
    var isAccount: Bool
    var isLookup: Bool
    var isStatistics: Bool
    var isDossiers: Bool
    var isStaffAdmin: Bool
    var isUnitAdmin: Bool
    var isOutbox: Bool
    var isBackOffice: Bool
    var isCalendar: Bool
    var isNoticeTemplates: Bool
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

    enum Section: String, Sendable { case none, home, catalog, account, lookup, statistics, dossiers, staffAdmin, unitAdmin, outbox, backOffice, calendar, noticeTemplates }

    init(title: String, section: Section = .none, searchText: String = "", user: User? = nil, csrfToken: String = "") {
        self.title = title
        self.searchText = searchText
        self.isHome = section == .home
        self.isCatalog = section == .catalog
        self.isAccount = section == .account
        self.isLookup = section == .lookup
        self.isStatistics = section == .statistics
        self.isDossiers = section == .dossiers
        self.isStaffAdmin = section == .staffAdmin
        self.isUnitAdmin = section == .unitAdmin
        self.isOutbox = section == .outbox
        self.isBackOffice = section == .backOffice
        self.isCalendar = section == .calendar
        self.isNoticeTemplates = section == .noticeTemplates
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
        // The token is only for the sign-out form of a signed-in visitor.
        self.init(title: title, section: section, searchText: searchText, user: context.identity?.user,
                  csrfToken: context.identity == nil ? "" : context.csrfToken)
    }

    init(title: String, section: Section = .none, context: AuthenticatedContext) {
        self.init(title: title, section: section, user: context.user, csrfToken: context.csrfToken)
    }
}
