import Foundation
import Hummingbird

/// The caller's agency's units over the JSON API, with each unit's head and members: who a dossier can be
/// handed to. Open to staff who work on dossiers and to administrators (the system administrator names the
/// agency with `agency`); anyone else gets 403.
struct UnitAPIController: Sendable {
    let units: UnitStore
    let catalog: CatalogReader

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.group("staff/units", context: AuthenticatedContext.self).get(use: list)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> ItemsDTO<UnitDTO> {
        let agencyCode = try await agency(request, context.user)
        let members = Dictionary(grouping: try await units.members(agencyCode: agencyCode), by: \.unitID)
        return ItemsDTO(items: try await units.units(agencyCode: agencyCode).map { unit in
            let people = members[unit.id] ?? []
            return UnitDTO(
                id: unit.id, name: unit.name,
                head: unit.headUserID.map { id in UnitDTO.Person(id: id, name: unit.headName ?? "", role: people.first { $0.id == id }?.role) },
                members: people.map { UnitDTO.Person(id: $0.id, name: $0.name, role: $0.role) })
        })
    }

    /// The caller's own agency; the system administrator, who has none, names one.
    private func agency(_ request: Request, _ user: User) async throws -> String {
        let asked = request.queryValues["agency"].flatMap { $0.isEmpty ? nil : $0 }
        if user.role == .systemAdmin {
            guard let asked else { throw PortalError.badRequest("Vui lòng cho biết mã cơ quan (agency).", fields: [.init(name: "agency", reason: "required")]) }
            guard try await catalog.snapshot().agencies.contains(where: { $0.code == asked }) else {
                throw PortalError.notFound("Không tìm thấy cơ quan này.")
            }
            return asked
        }
        guard user.worksOnDossiers || (user.role == .agencyAdmin && user.agencyCode != nil), let own = user.agencyCode else {
            throw PortalError(status: .forbidden, message: "Chỉ cán bộ của cơ quan mới xem được danh sách đơn vị.")
        }
        if let asked, asked != own {
            throw PortalError(status: .forbidden, message: "Chỉ xem được các đơn vị của cơ quan mình.")
        }
        return own
    }
}

struct UnitDTO: Codable, Sendable {
    struct Person: Codable, Sendable {
        var id: Int64
        var name: String
        var role: StaffRole?
    }

    var id: Int64
    var name: String
    /// Absent when the unit has no head.
    var head: Person?
    var members: [Person]
}
