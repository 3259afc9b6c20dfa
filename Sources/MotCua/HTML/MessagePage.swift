import Foundation

struct LinkItem: Sendable, Encodable {
    var url: String
    var label: String
}

/// A short page that tells what happened, optionally with a confirm button (for single-use links, which
/// must not be used up by a mail scanner merely opening them).
struct MessagePage: PageModel {
    static let template = "accounts/message"
    var chrome: PageChrome
    var heading: String
    var paragraphs: [String]
    var links: [LinkItem] = []
    var notice: String?
    var problem: String?
    var csrfToken: String = ""
    var confirmAction: String?
    var confirmLabel: String?
    var token: String?
}
