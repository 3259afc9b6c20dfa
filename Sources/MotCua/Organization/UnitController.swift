import Foundation
import HTTPTypes
import Hummingbird

/// The agency administrator's units (phòng ban): list, create, rename and choose a head, delete. The system
/// administrator may manage any agency's units, naming it with `?co-quan=<agency code>`; nobody else may.
struct UnitController: Sendable {
    let units: UnitStore
    let users: UserStore
    let catalog: CatalogReader
    let renderer: HTMLRenderer

    static let path = "/quan-tri/don-vi"

    func addRoutes(to router: Router<AppRequestContext>) {
        let admin = router.group("quan-tri/don-vi", context: AuthenticatedContext.self)
        admin.get(use: page)
        admin.post(use: create)
        admin.post("{id}", use: update)
        admin.post("{id}/xoa", use: delete)
    }

    /// The agency whose units are managed.
    struct ManagedAgency: Sendable {
        var code: String
        var name: String
        /// What the page's URLs carry so the system administrator stays in the same agency.
        var query: String
    }

    /// The administrator's own agency; for the system administrator the one in `co-quan` (nil: not chosen yet).
    private func managedAgency(_ request: Request, _ context: AuthenticatedContext) async throws -> ManagedAgency? {
        let agencies = try await catalog.snapshot().agencies
        switch context.user.role {
        case .agencyAdmin?:
            guard let code = context.user.agencyCode else { break }
            return ManagedAgency(code: code, name: agencies.first { $0.code == code }?.name ?? code, query: "")
        case .systemAdmin?:
            guard let code = request.queryValues["co-quan"], !code.isEmpty else { return nil }
            guard let agency = agencies.first(where: { $0.code == code }) else {
                throw PortalError.notFound("Không tìm thấy cơ quan này.")
            }
            return ManagedAgency(code: agency.code, name: agency.name, query: "?co-quan=\(agency.code)")
        default: break
        }
        throw PortalError(status: .forbidden, message: "Chỉ quản trị viên của cơ quan mới được quản lý đơn vị.")
    }

    /// For a change: the agency must be known.
    private func requiredAgency(_ request: Request, _ context: AuthenticatedContext) async throws -> ManagedAgency {
        guard let agency = try await managedAgency(request, context) else {
            throw PortalError.badRequest("Vui lòng chọn cơ quan trước.")
        }
        return agency
    }

    @Sendable func page(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let agency = try await managedAgency(request, context)
        let notice = request.queryValues["thong-bao"].flatMap(UnitNotice.init(rawValue:))?.text
        var response = try await render(agency, context: context, notice: notice).response(from: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let agency = try await requiredAgency(request, context)
        let form = try await request.decodeForm(UnitForm.self)
        do {
            _ = try await units.create(name: form.name ?? "", agencyCode: agency.code)
            return redirect(agency, .created)
        } catch let error as UnitError where error.isClientError && error != .notFound {
            return try await render(agency, context: context, form: form, failure: (nil, error)).response(from: request, context: context)
        }
    }

    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let agency = try await requiredAgency(request, context)
        let id = try unitID(context)
        let form = try await request.decodeForm(UnitForm.self)
        // An empty choice clears the head; a value that is not a number is nobody of this agency.
        let head: Int64?? = form.head.map { $0.isEmpty ? .some(nil) : .some(Int64($0) ?? -1) } ?? .none
        do {
            try await units.update(unitID: id, name: form.name ?? "", head: head, agencyCode: agency.code)
            return redirect(agency, .saved)
        } catch let error as UnitError where error.isClientError && error != .notFound {
            return try await render(agency, context: context, form: form, failure: (id, error)).response(from: request, context: context)
        }
    }

    @Sendable func delete(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let agency = try await requiredAgency(request, context)
        let id = try unitID(context)
        do {
            try await units.delete(unitID: id, agencyCode: agency.code)
            return redirect(agency, .deleted)
        } catch let error as UnitError where error.isClientError && error != .notFound {
            return try await render(agency, context: context, failure: (id, error)).response(from: request, context: context)
        }
    }

    private func unitID(_ context: AuthenticatedContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw UnitError.notFound }
        return id
    }

    private func redirect(_ agency: ManagedAgency, _ notice: UnitNotice) -> Response {
        let separator = agency.query.isEmpty ? "?" : "&"
        return Response(status: .seeOther, headers: [.location: "\(Self.path)\(agency.query)\(separator)thong-bao=\(notice.rawValue)"])
    }

    /// The page; after a refused change, with the form as sent and the message beside its field (4xx).
    private func render(
        _ agency: ManagedAgency?, context: AuthenticatedContext, form: UnitForm? = nil,
        failure: (unitID: Int64?, error: UnitError)? = nil, notice: String? = nil
    ) async throws -> HTML {
        let chrome = PageChrome(title: "Quản lý đơn vị", section: .unitAdmin, context: context)
        guard let agency else {
            let agencies = try await catalog.snapshot().agencies.map { AgencyChoice(code: $0.code, name: $0.name) }
            return try renderer.render(UnitsPage(
                chrome: chrome, csrfToken: context.csrfToken, agencyName: "", agencyQuery: "", units: [], hasUnits: false,
                nameField: FormInput("name", "Tên đơn vị"), agencies: agencies, choosingAgency: true))
        }
        let staff = try await users.staff(agencyCode: agency.code).filter { !$0.disabled }
        let rows = try await units.units(agencyCode: agency.code).map { unit -> UnitRow in
            let failed = failure.flatMap { $0.unitID == unit.id ? $0.error : nil }
            let chosenHead = failed == nil ? unit.headUserID.map(String.init) : form?.head
            var errors = FieldErrors()
            if failed?.field == "name" { errors["name"] = failed?.portalError.message }
            var nameField = FormInput("name", "Tên đơn vị", value: failed == nil ? unit.name : form?.name ?? unit.name,
                                      errors: errors, maxLength: AgencyUnit.maxNameLength)
            nameField.id = "ten-don-vi-\(unit.id)"
            nameField.describedBy = nameField.error == nil ? nil : "\(nameField.id)-loi"
            return UnitRow(
                id: unit.id, name: unit.name, headName: unit.headName, memberCount: unit.memberCount, nameField: nameField,
                headOptions: [SelectOption(value: "", label: "— Chưa có trưởng đơn vị —", selected: (chosenHead ?? "").isEmpty)]
                    + staff.map { SelectOption(value: String($0.id), label: $0.displayName, selected: String($0.id) == chosenHead) },
                headError: failed?.field == "head" ? failed?.portalError.message : nil,
                unitError: failed != nil && failed?.field == nil ? failed?.portalError.message : nil,
                csrfToken: context.csrfToken, agencyQuery: agency.query)
        }
        var createErrors = FieldErrors()
        if let failure, failure.unitID == nil { createErrors["name"] = failure.error.portalError.message }
        return try renderer.render(
            UnitsPage(
                chrome: chrome, csrfToken: context.csrfToken, agencyName: agency.name, agencyQuery: agency.query, units: rows,
                hasUnits: !rows.isEmpty,
                nameField: FormInput("name", "Tên đơn vị", value: failure?.unitID == nil ? form?.name ?? "" : "",
                                     errors: createErrors, maxLength: AgencyUnit.maxNameLength),
                agencies: [], choosingAgency: false, notice: notice, problem: failure.map { $0.error.portalError.message }),
            status: failure?.error.portalError.status ?? .ok)
    }
}

/// A unit's form as posted: its name, and (when editing) the head's user id or "" for none.
struct UnitForm: Decodable {
    var name: String?
    var head: String?
}
