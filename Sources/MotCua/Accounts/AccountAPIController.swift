import Foundation
import Hummingbird

/// The signed-in account over the API (token authentication).
struct AccountAPIController: Sendable {
    let catalog: CatalogReader

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        let me = group.group("me", context: AuthenticatedContext.self)
        me.get(use: self.me)
        me.get("procedures", use: openProcedures)
    }

    /// Procedures this account may file for (its kind of applicant); staff may file for none.
    @Sendable func openProcedures(_ request: Request, context: AuthenticatedContext) async throws -> ItemsDTO<ProcedureSummaryDTO> {
        guard let kind = context.user.applicantType else { return ItemsDTO(items: []) }
        let entries = try await catalog.snapshot().index.entries
        return ItemsDTO(items: entries.filter { $0.applicantTypes.contains(kind) }.map(ProcedureSummaryDTO.init))
    }

    @Sendable func me(_ request: Request, context: AuthenticatedContext) async throws -> MeDTO {
        let user = context.user
        return MeDTO(kind: user.kind, email: user.email, displayName: user.displayName, emailVerified: user.emailVerified,
                     role: user.role, agencyCode: user.agencyCode)
    }
}

struct MeDTO: ResponseCodable, Sendable {
    var kind: AccountKind
    var email: String
    var displayName: String
    var emailVerified: Bool
    var role: StaffRole?
    var agencyCode: String?
}
