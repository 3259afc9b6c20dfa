import Synchronization

/// The CSRF token of one request, handed out only to pages that carry a form that posts: the middleware
/// sets the cookie for a new visitor only when a page actually used the token, so pages that only read
/// (the catalog, a procedure, the public lookup) set no cookie and stay cacheable.
final class CSRFToken: Sendable {
    let value: String
    private let handedOut = Atomic<Bool>(false)

    init(_ value: String) { self.value = value }

    /// The token for a form; remembers that the response needs the cookie.
    func use() -> String {
        handedOut.store(true, ordering: .relaxed)
        return value
    }

    var wasUsed: Bool { handedOut.load(ordering: .relaxed) }
}
