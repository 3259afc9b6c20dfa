import Foundation
import HTTPTypes
import HummingbirdBcrypt
import HummingbirdTesting
import SQLKit
import Testing

@testable import MotCua

@Suite("Accounts: passwords, e-mail addresses and expired records")
struct AccountHardeningTests {
    static let precomposed = "Mật-khẩu-Việt-Nam-2026"
    static var decomposed: String { precomposed.decomposedStringWithCanonicalMapping }

    @Test("The same Vietnamese password typed precomposed or decomposed works; hashes made before normalisation keep working")
    func normalisedPasswords() async throws {
        #expect(Array(Self.precomposed.utf8) != Array(Self.decomposed.utf8))
        let hasher = PasswordHasher(cost: 4)
        let hash = try await hasher.hash(Self.decomposed)
        #expect(try await hasher.verify(Self.precomposed, hash: hash))
        #expect(try await hasher.verify(Self.decomposed, hash: hash))
        #expect(try await !hasher.verify("Mat-khau-Viet-Nam-2026", hash: hash))
        // A hash of the decomposed bytes, as the portal wrote them before: the same typing still signs in.
        let old = Bcrypt.hash(Self.decomposed, cost: 4)
        #expect(try await hasher.verify(Self.decomposed, hash: old))
    }

    @Test("A password over bcrypt's 72 bytes is refused with a clear message, counted after normalisation")
    func seventyTwoBytes() {
        let policy = PasswordPolicy(common: [])
        let ascii72 = String(repeating: "a1", count: 36)
        #expect(policy.problem(password: ascii72, email: "an@example.vn") == nil)
        #expect(policy.problem(password: ascii72 + "b", email: "an@example.vn")?.contains("72 byte") == true)
        // 30 letters with Vietnamese marks: 30 characters, but 3 bytes each once precomposed.
        let vietnamese = String(repeating: "ệ", count: 30)
        #expect(policy.problem(password: vietnamese, email: "an@example.vn")?.contains("72 byte") == true)
    }

    @Test("One rule for e-mail addresses: what registration accepts the mailer sends to; non-ASCII domains are refused by both")
    func oneEmailRule() throws {
        for address in ["an.nguyen@example.vn", "to-chuc+ho-so@so-noi-vu.gov.vn"] {
            #expect(Identifiers.isEmail(address))
            #expect(throws: Never.self) { try SMTPAddressValidator.validate(address: address) }
        }
        for address in ["an@bưuđiện.vn", "an@xn--bcher-kva", "an@localhost", "nguyễn@b.vn"] {
            #expect(!Identifiers.isEmail(address), "\(address)")
            #expect(throws: SMTPError.self) { try SMTPAddressValidator.validate(address: address) }
        }
    }

    @Test("Registration with a non-ASCII domain is refused with the e-mail message, nothing saved")
    func registrationRefusesIDN() async throws {
        try await TestEnvironment.withAppAndDatabase(demoData: false) { browser, _, database in
            let form = Citizen.form(email: "an@bưuđiện.vn")
            let answer = try await browser.post("/dang-ky", form)
            #expect(answer.status == .unprocessableContent)
            #expect(answer.text.contains("thư điện tử"))
            #expect(try await database.read { try await $0.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) } == 0)
        }
    }

    @Test("Expired sessions, links and throttle events are purged; the account page lists live sessions only")
    func purgeExpired() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let database = dependencies.database
            let user = try await database.transaction { db in
                try await UserStore.insert(NewUser(kind: .individual, email: "het.han@example.vn", passwordHash: "-", displayName: "A",
                                                   citizenID: "001299000123", phone: "0912345678", address: "X", emailVerified: true), in: db)
            }
            let sessions = dependencies.accounts.sessions
            _ = try await sessions.create(userID: user.id, ip: "203.0.113.1", userAgent: "live")
            _ = try await sessions.create(userID: user.id, ip: "203.0.113.2", userAgent: "stale")
            let now = Clock.nowMilliseconds()
            try await database.transaction { db in
                try await db.raw("UPDATE sessions SET last_seen_at = \(bind: now - 2 * 60 * 60 * 1000) WHERE user_agent = 'stale'").run()
                _ = try await AccountTokens.issue(userID: user.id, purpose: .resetPassword, in: db)
                let live = try await AccountTokens.issue(userID: user.id, purpose: .verifyEmail, in: db)
                _ = live
                try await db.raw("UPDATE account_tokens SET expires_at = 1 WHERE purpose = 'reset_password'").run()
                try await db.raw("INSERT INTO throttle_events (scope, subject, at) VALUES ('login-ip', 'x', 1), ('login-ip', 'x', \(bind: now))").run()
            }
            #expect(try await sessions.list(userID: user.id).map(\.userAgent) == ["live"])
            let removed = try await dependencies.accountCleanup.purge()
            #expect(removed == AccountCleanup.Removed(sessions: 1, tokens: 1, throttleEvents: 1))
            let left = try await database.read { db in
                (try await db.raw("SELECT COUNT(*) AS n FROM sessions").first()?.decode(column: "n", as: Int.self),
                 try await db.raw("SELECT COUNT(*) AS n FROM account_tokens").first()?.decode(column: "n", as: Int.self),
                 try await db.raw("SELECT COUNT(*) AS n FROM throttle_events").first()?.decode(column: "n", as: Int.self))
            }
            #expect(left.0 == 1 && left.1 == 1 && left.2 == 1)
        }
    }
}
