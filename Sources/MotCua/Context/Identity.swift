
/// Who is asking: the account, and the session it came through (nil for an API token).
public struct Identity: Sendable {
    public var user: User
    var sessionHash: String?
}
