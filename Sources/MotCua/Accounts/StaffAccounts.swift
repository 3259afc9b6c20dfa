import Logging

/// Staff account creation for the command line, with messages for an operator.
public enum StaffAccounts {
    public enum Outcome: Sendable {
        /// The password to hand over (the given one, or the generated one).
        case success(password: String)
        case failure(String)
    }

    public static func create(
        database: any Database, configuration: AppConfiguration, logger: Logger, email: String, name: String,
        role: StaffRole, agencyCode: String?, password: String?, unitName: String? = nil
    ) async throws -> Outcome {
        let accounts = AccountService(
            database: database, hasher: PasswordHasher(cost: configuration.bcryptCost), policy: .bundled(),
            publicURL: configuration.publicURL, logger: logger)
        do {
            let (_, password) = try await accounts.createStaff(
                email: email, name: name, role: role, agencyCode: agencyCode, password: password, unitName: unitName)
            return .success(password: password)
        } catch AccountError.duplicateEmail {
            return .failure("An account with e-mail \(email) already exists.")
        } catch AccountError.unknownAgency(let code) {
            return .failure("There is no agency with code \(code).")
        } catch AccountError.invalid(let message) {
            return .failure(message)
        }
    }
}
