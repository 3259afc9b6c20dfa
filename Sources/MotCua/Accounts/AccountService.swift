import Foundation
import Logging
import SQLKit

/// The account rules: registration, e-mail verification, login with throttling, password reset and
/// change, staff creation. Every change and the mail it causes are written in one transaction.
struct AccountService: Sendable {
    let database: any Database
    let users: UserStore
    let sessions: SessionStore
    let throttle: Throttle
    let hasher: PasswordHasher
    let policy: PasswordPolicy
    let publicURL: String
    let logger: Logger

    init(database: any Database, hasher: PasswordHasher, policy: PasswordPolicy, publicURL: String, logger: Logger) {
        self.database = database
        self.users = UserStore(database: database)
        self.sessions = SessionStore(database: database)
        self.throttle = Throttle(database: database)
        self.hasher = hasher
        self.policy = policy
        self.publicURL = publicURL
        self.logger = logger
    }

    // MARK: Registration

    enum RegistrationOutcome: Sendable {
        /// Created, or the address already had an account (its owner is told by mail): the page says the same.
        case mailSent(email: String)
        case invalid(FieldErrors)
    }

    func register(_ form: RegistrationForm) async throws -> RegistrationOutcome {
        var newUser: NewUser
        switch form.validate(policy: policy) {
        case .failure(let errors): return .invalid(errors)
        case .success(let user): newUser = user
        }
        newUser.passwordHash = try await hasher.hash(form.password)
        let user = newUser
        let links = publicURL
        let outcome = try await database.transaction { db -> RegistrationOutcome in
            if let citizenID = user.citizenID, try await UserStore.citizenIDExists(citizenID, in: db) {
                var errors = FieldErrors()
                errors["citizen_id"] = "Số căn cước công dân này đã được dùng cho một tài khoản khác. Nếu đó là bạn, hãy đăng nhập hoặc đặt lại mật khẩu."
                return .invalid(errors)
            }
            if try await UserStore.emailExists(user.email, in: db) {
                // Same answer as a new account, so the form does not reveal who has one; the owner learns by mail.
                try await AccountNotice.enqueueAlreadyRegistered(to: user.email, publicURL: links, in: db)
                return .mailSent(email: user.email)
            }
            let saved = try await UserStore.insert(user, in: db)
            let token = try await AccountTokens.issue(userID: saved.id, purpose: .verifyEmail, in: db)
            try await AccountNotice.enqueue(.emailVerification, to: saved, link: "\(links)/xac-thuc-email?ma=\(token)", publicURL: links, in: db)
            return .mailSent(email: saved.email)
        }
        return outcome
    }

    /// Verifies the address of the token's account; false when the link is unknown, used or expired.
    func verifyEmail(token: String) async throws -> Bool {
        try await database.transaction { db in
            guard let userID = try await AccountTokens.consume(token, purpose: .verifyEmail, in: db) else { return false }
            try await UserStore.markVerified(userID: userID, in: db)
            // Dossiers the desk registered from paper for this ID number and e-mail become this account's.
            if let user = try await UserStore.user(id: userID, in: db) { try await DeskIntake.claim(for: user, in: db) }
            return true
        }
    }

    func isValidToken(_ token: String, purpose: AccountTokenPurpose) async throws -> Bool {
        try await database.read { try await AccountTokens.peek(token, purpose: purpose, in: $0) != nil }
    }

    enum ResendOutcome: Sendable, Equatable {
        case sent
        case alreadyVerified
        case throttled(until: Int64)
    }

    func resendVerification(for user: User) async throws -> ResendOutcome {
        if user.emailVerified { return .alreadyVerified }
        let subject = String(user.id)
        if let until = try await throttle.blockedUntil(Throttle.resendVerification, subject: subject) {
            return .throttled(until: until)
        }
        try await throttle.record(Throttle.resendVerification, subject: subject)
        let links = publicURL
        try await database.transaction { db in
            let token = try await AccountTokens.issue(userID: user.id, purpose: .verifyEmail, in: db)
            try await AccountNotice.enqueue(.emailVerification, to: user, link: "\(links)/xac-thuc-email?ma=\(token)", publicURL: links, in: db)
        }
        return .sent
    }

    // MARK: Login

    enum LoginOutcome: Sendable {
        case success(user: User, sessionSecret: String)
        /// Wrong e-mail or password: deliberately the same answer for both.
        case invalid
        case locked(until: Int64)
    }

    func login(email: String, password: String, ip: String, userAgent: String) async throws -> LoginOutcome {
        let account = UserStore.normalizedEmail(email)
        // The attempt is counted before the password is checked, in the same step that decides whether it
        // may go on: guesses sent at once cannot all pass the check while bcrypt runs.
        let attempt = try await throttle.attempt([(Throttle.loginPerAccount, account), (Throttle.loginPerIP, ip)])
        guard case .allowed(let eventIDs) = attempt else {
            if case .blocked(let until) = attempt { return .locked(until: until) }
            return .invalid
        }
        let found = try await users.credentials(email: account)
        // Check a decoy hash when there is no account, so both answers take the same time.
        let matches: Bool
        do {
            matches = try await hasher.verify(password, hash: found?.passwordHash ?? hasher.decoyHash)
        } catch let busy as PasswordHasher.Busy {
            // Turned away before the password was checked: the attempt does not count.
            try await throttle.forget(eventIDs: eventIDs)
            throw busy
        }
        guard let found, matches, !found.user.disabled else { return .invalid }
        // A successful login forgets the account's failures and does not count against the address.
        try await throttle.clear(Throttle.loginPerAccount, subject: account)
        try await throttle.forget(eventIDs: eventIDs)
        let secret = try await sessions.create(userID: found.user.id, ip: ip, userAgent: userAgent)
        return .success(user: found.user, sessionSecret: secret)
    }

    // MARK: Passwords

    /// Sends a reset link when the address has an account. Says nothing either way.
    func requestPasswordReset(email: String) async throws {
        let account = UserStore.normalizedEmail(email)
        guard Identifiers.isEmail(account),
              try await throttle.blockedUntil(Throttle.passwordReset, subject: account) == nil
        else { return }
        try await throttle.record(Throttle.passwordReset, subject: account)
        guard let found = try await users.credentials(email: account), !found.user.disabled else { return }
        let links = publicURL
        try await database.transaction { db in
            let token = try await AccountTokens.issue(userID: found.user.id, purpose: .resetPassword, in: db)
            try await AccountNotice.enqueue(.passwordReset, to: found.user, link: "\(links)/dat-lai-mat-khau?ma=\(token)", publicURL: links, in: db)
        }
    }

    enum PasswordOutcome: Sendable, Equatable {
        case done
        case invalidToken
        case wrongCurrentPassword
        case rejected(FieldErrors)
    }

    /// Sets a new password from a reset link and ends every session of the account.
    func resetPassword(token: String, password: String, confirmation: String) async throws -> PasswordOutcome {
        guard let userID = try await database.read({ try await AccountTokens.peek(token, purpose: .resetPassword, in: $0) }),
              let user = try await users.user(id: userID)
        else { return .invalidToken }
        if let errors = newPasswordErrors(password, confirmation, email: user.email) { return .rejected(errors) }
        let hash = try await hasher.hash(password)
        return try await database.transaction { db in
            guard try await AccountTokens.consume(token, purpose: .resetPassword, in: db) == userID else { return .invalidToken }
            try await UserStore.setPassword(userID: userID, hash: hash, in: db)
            // A reset link proves the mailbox: the address counts as verified.
            try await UserStore.markVerified(userID: userID, in: db)
            try await SessionStore.deleteAll(userID: userID, in: db)
            try await AccountNotice.enqueue(.passwordChanged, to: user, publicURL: publicURL, in: db)
            return .done
        }
    }

    /// Changes the password of a signed-in account; other sessions end, this one stays.
    func changePassword(user: User, current: String, new: String, confirmation: String, keepingSession: String?) async throws -> PasswordOutcome {
        guard let hash = try await users.passwordHash(userID: user.id), try await hasher.verify(current, hash: hash) else {
            return .wrongCurrentPassword
        }
        if let errors = newPasswordErrors(new, confirmation, email: user.email) { return .rejected(errors) }
        let newHash = try await hasher.hash(new)
        try await database.transaction { db in
            try await UserStore.setPassword(userID: user.id, hash: newHash, in: db)
            try await SessionStore.deleteAll(userID: user.id, keeping: keepingSession, in: db)
            try await AccountNotice.enqueue(.passwordChanged, to: user, publicURL: publicURL, in: db)
        }
        return .done
    }

    private func newPasswordErrors(_ password: String, _ confirmation: String, email: String) -> FieldErrors? {
        var errors = FieldErrors()
        if let problem = policy.problem(password: password, email: email) {
            errors["password"] = problem
        } else if password != confirmation {
            errors["password_confirmation"] = "Mật khẩu nhập lại không khớp."
        }
        return errors.isEmpty ? nil : errors
    }

    // MARK: Staff

    /// Creates a staff account (verified: an administrator vouches for the address). Returns the password,
    /// generated when none is given, to hand over once. `unitName` places the account in that unit of its agency.
    func createStaff(
        email: String, name: String, role: StaffRole, agencyCode: String?, password: String? = nil, unitName: String? = nil,
        mustChangePassword: Bool? = nil
    ) async throws -> (User, String) {
        // A generated password has been seen by whoever created the account: its owner sets their own first.
        let mustChange = mustChangePassword ?? (password == nil)
        guard Identifiers.isEmail(email) else { throw AccountError.invalid("Địa chỉ thư điện tử không hợp lệ.") }
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 100 else {
            throw AccountError.invalid("Vui lòng nhập họ và tên (tối đa 100 ký tự).")
        }
        if role != .systemAdmin && agencyCode == nil { throw AccountError.invalid("Cán bộ phải thuộc một cơ quan.") }
        if unitName != nil && role == .systemAdmin { throw AccountError.invalid("Quản trị hệ thống không thuộc đơn vị nào.") }
        let password = password ?? Self.generatedPassword()
        if let problem = policy.problem(password: password, email: email) { throw AccountError.invalid(problem) }
        let hash = try await hasher.hash(password)
        let user = try await database.transaction { db -> User in
            if try await UserStore.emailExists(email, in: db) { throw AccountError.duplicateEmail }
            var user = try await UserStore.insert(NewUser(
                kind: .staff, email: email, passwordHash: hash, displayName: name, role: role,
                agencyCode: role == .systemAdmin ? nil : agencyCode, emailVerified: true), in: db)
            // After the insert, which refuses an unknown agency; a refusal here rolls the insert back.
            if let unitName, let agencyCode {
                guard let unitID = try await UnitStore.unitID(named: unitName, agencyCode: agencyCode, in: db) else {
                    throw AccountError.invalid("Cơ quan chưa có đơn vị “\(unitName)”.")
                }
                try await UnitStore.place(userID: user.id, unitID: unitID, in: db)
                user.unitID = unitID
            }
            if mustChange {
                try await db.raw("UPDATE users SET must_change_password = \(bind: true) WHERE id = \(bind: user.id)").run()
                user.mustChangePassword = true
            }
            return user
        }
        return (user, password)
    }

    /// A readable random password: four groups of letters and digits.
    static func generatedPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String((0..<4).map { _ in alphabet.randomElement(using: &generator)! }) }
            .joined(separator: "-")
    }
}

