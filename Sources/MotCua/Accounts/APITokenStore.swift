import SQLKit

/// Personal access tokens for the JSON API: shown once when created, stored as SHA-256, revocable.
struct APITokenStore: Sendable {
    let database: any Database
    static let prefix = "mct_"

    struct Token: Sendable, Equatable {
        var id: Int64
        var name: String
        var createdAt: Int64
        var lastUsedAt: Int64?
    }

    /// Returns the secret, to show once.
    func create(userID: Int64, name: String) async throws -> String {
        let secret = Secrets.random(prefix: Self.prefix)
        try await database.transaction { db in
            try await db.raw("""
                INSERT INTO api_tokens (user_id, name, token_hash, created_at)
                VALUES (\(bind: userID), \(bind: name), \(bind: Secrets.digest(secret)), \(bind: Clock.nowMilliseconds()))
                """).run()
        }
        return secret
    }

    func list(userID: Int64) async throws -> [Token] {
        try await database.read { db in
            try await db.raw("""
                SELECT id, name, created_at, last_used_at FROM api_tokens
                WHERE user_id = \(bind: userID) AND revoked_at IS NULL ORDER BY id DESC
                """).all().map {
                    Token(id: try $0.decode(column: "id"), name: try $0.decode(column: "name"),
                          createdAt: try $0.decode(column: "created_at"), lastUsedAt: try $0.decode(column: "last_used_at"))
                }
        }
    }

    /// Revokes one of the account's own tokens; false when there is no such live token.
    func revoke(id: Int64, userID: Int64) async throws -> Bool {
        try await database.transaction { db in
            try await db.raw("""
                UPDATE api_tokens SET revoked_at = \(bind: Clock.nowMilliseconds())
                WHERE id = \(bind: id) AND user_id = \(bind: userID) AND revoked_at IS NULL RETURNING id
                """).first() != nil
        }
    }

    func user(forToken secret: String) async throws -> User? {
        guard secret.hasPrefix(Self.prefix), secret.utf8.count <= 128 else { return nil }
        // The token and its account in one round trip: every API request with a token starts here.
        // The account's key is also given as a scalar subquery, so the account is read by its key: with the
        // join alone, PostgreSQL planned a merge join over the users' primary key for a token newer than the
        // table's statistics (every token made since its last ANALYZE), 2–3 ms a request with 10 000 users.
        let digest = Secrets.digest(secret)
        let found = try await database.read { db -> (Int64, User, Int64?)? in
            guard let row = try await db.raw("""
                SELECT \(unsafeRaw: UserStore.columns), t.id AS token_id, t.last_used_at
                FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN agencies a ON a.id = u.agency_id
                WHERE t.token_hash = \(bind: digest) AND t.revoked_at IS NULL
                    AND u.id = (SELECT user_id FROM api_tokens WHERE token_hash = \(bind: digest))
                """).first()
            else { return nil }
            return (try row.decode(column: "token_id"), try UserStore.user(from: row), try row.decode(column: "last_used_at"))
        }
        guard let (tokenID, user, lastUsed) = found, !user.disabled else { return nil }
        let now = Clock.nowMilliseconds()
        if now - (lastUsed ?? 0) > 60_000 {
            try await database.transaction { db in
                try await db.raw("UPDATE api_tokens SET last_used_at = \(bind: now) WHERE id = \(bind: tokenID)").run()
            }
        }
        return user
    }
}
