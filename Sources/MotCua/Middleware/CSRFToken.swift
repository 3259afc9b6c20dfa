import Synchronization

/// The CSRF token of one request, handed out only to pages that carry a form that posts: the middleware
/// sets the cookie for a new visitor only when a page actually used the token, so pages that only read
/// (the catalog, a procedure, the public lookup) set no cookie and stay cacheable. A new visitor's token is
/// made on first use: drawing 32 random bytes for every anonymous page that never shows it was 6 % of the
/// public lookup page's CPU.
final class CSRFToken: Sendable {
    private let token: Mutex<String?>
    private let handedOut = Atomic<Bool>(false)

    /// `existing`: the session's token or the visitor's cookie; nil for a new visitor.
    init(_ existing: String?) { token = Mutex(existing) }

    /// The token; a new visitor's is made now.
    var value: String {
        token.withLock { token in
            if let token { return token }
            let made = Secrets.random()
            token = made
            return made
        }
    }

    /// The token for a form; remembers that the response needs the cookie.
    func use() -> String {
        handedOut.store(true, ordering: .relaxed)
        return value
    }

    var wasUsed: Bool { handedOut.load(ordering: .relaxed) }
}
