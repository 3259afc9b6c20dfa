import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// An agency administrator manages the agency's staff; the system administrator reads the outbox.
struct AdministrationController: Sendable {
    let accounts: AccountService
    let units: UnitStore
    let renderer: HTMLRenderer
    let catalog: CatalogReader
    let database: any Database
    let mailMode: String
    let cookies: SessionCookies
    /// With real delivery configured, single-use links are hidden here: they belong to their recipients.
    let redactLinks: Bool

    func addRoutes(to router: Router<AppRequestContext>) {
        let admin = router.group("quan-tri", context: AuthenticatedContext.self)
        admin.get("can-bo", use: staffPage)
        admin.post("can-bo", use: createStaff)
        admin.post("can-bo/{id}/khoa", use: disableStaff)
        admin.post("can-bo/{id}/mo-khoa", use: enableStaff)
        admin.post("can-bo/{id}/don-vi", use: moveStaff)
        admin.get("thu-dien", use: outbox)
    }

    /// The agency the signed-in administrator manages, or 403.
    private func managedAgency(_ context: AuthenticatedContext) throws -> String {
        guard context.user.role == .agencyAdmin, let agency = context.user.agencyCode else {
            throw PortalError(status: .forbidden, message: "Chỉ quản trị viên của cơ quan mới được quản lý cán bộ.")
        }
        return agency
    }

    @Sendable func staffPage(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let agency = try managedAgency(context)
        // "email|password" of an account created just before, shown once, then cleared.
        let flash = SessionCookies.flashValue(of: request)
        let created = flash.flatMap { value -> (String, String)? in
            let parts = value.split(separator: "|", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }
        let notice = request.queryValues["thong-bao"].flatMap(UnitNotice.init(rawValue:))?.text
        var response = try await renderStaff(context, agencyCode: agency, created: created, notice: notice)
            .response(from: request, context: context)
        if flash != nil { response.setCookie(cookies.expired(SessionCookies.flashName, path: "/quan-tri/can-bo")) }
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func renderStaff(
        _ context: AuthenticatedContext, agencyCode: String, form: StaffForm? = nil, created: (String, String)? = nil,
        problem: String? = nil, notice: String? = nil, failedMove: (userID: Int64, message: String)? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> HTML {
        let agencyName = try await catalog.snapshot().agencies.first { $0.code == agencyCode }?.name ?? agencyCode
        let agencyUnits = try await units.units(agencyCode: agencyCode)
        let unitNames = Dictionary(uniqueKeysWithValues: agencyUnits.map { ($0.id, $0.name) })
        let staff = try await accounts.users.staff(agencyCode: agencyCode).map { user in
            StaffRow(id: user.id, name: user.displayName, email: user.email, role: user.role?.label ?? "", disabled: user.disabled,
                     canToggle: user.id != context.user.id, csrfToken: context.csrfToken,
                     unit: user.unitID.flatMap { unitNames[$0] } ?? "",
                     unitOptions: [SelectOption(value: "", label: "— Chưa xếp đơn vị —", selected: user.unitID == nil)]
                        + agencyUnits.map { SelectOption(value: String($0.id), label: $0.name, selected: $0.id == user.unitID) },
                     unitError: failedMove?.userID == user.id ? failedMove?.message : nil)
        }
        let chosenRole = form?.role
        let chosenUnit = form?.unit ?? ""
        return try renderer.render(
            StaffPage(
                chrome: PageChrome(title: "Quản lý cán bộ", section: .staffAdmin, context: context), csrfToken: context.csrfToken,
                agencyName: agencyName, staff: staff,
                fields: [
                    FormInput("name", "Họ và tên", value: form?.name ?? "", autocomplete: "off", maxLength: 100),
                    FormInput("email", "Thư điện tử công vụ", type: "email", value: form?.email ?? "", autocomplete: "off", maxLength: 254),
                ],
                roles: StaffRole.agencyRoles.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosenRole) },
                units: [SelectOption(value: "", label: "— Chưa xếp đơn vị —", selected: chosenUnit.isEmpty)]
                    + agencyUnits.map { SelectOption(value: $0.name, label: $0.name, selected: $0.name == chosenUnit) },
                hasUnits: !agencyUnits.isEmpty,
                createdEmail: created?.0, createdPassword: created?.1, notice: notice, problem: problem),
            status: status)
    }

    @Sendable func createStaff(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let agency = try managedAgency(context)
        let values = try await request.decodeForm(StaffForm.self)
        guard let role = values.role.flatMap(StaffRole.init(rawValue:)), StaffRole.agencyRoles.contains(role) else {
            return try await renderStaff(context, agencyCode: agency, form: values, problem: "Vai trò không hợp lệ.", status: .unprocessableContent)
                .response(from: request, context: context)
        }
        do {
            let (user, password) = try await accounts.createStaff(
                email: (values.email ?? "").trimmingCharacters(in: .whitespaces),
                name: (values.name ?? "").trimmingCharacters(in: .whitespaces), role: role, agencyCode: agency,
                unitName: values.unit.flatMap { $0.isEmpty ? nil : $0 })
            var response = Response(status: .seeOther, headers: [.location: "/quan-tri/can-bo"])
            response.setCookie(cookies.flash("\(user.email)|\(password)", path: "/quan-tri/can-bo"))
            return response
        } catch AccountError.duplicateEmail {
            return try await renderStaff(context, agencyCode: agency, form: values,
                                         problem: "Địa chỉ thư điện tử này đã có tài khoản.", status: .conflict)
                .response(from: request, context: context)
        } catch AccountError.invalid(let message) {
            return try await renderStaff(context, agencyCode: agency, form: values, problem: message, status: .unprocessableContent)
                .response(from: request, context: context)
        }
    }

    @Sendable func disableStaff(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await setDisabled(true, context: context)
    }

    @Sendable func enableStaff(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await setDisabled(false, context: context)
    }

    private func setDisabled(_ disabled: Bool, context: AuthenticatedContext) async throws -> Response {
        let agency = try managedAgency(context)
        // Only staff of the administrator's own agency, and never the administrator's own account.
        guard let id = context.parameters.get("id", as: Int64.self), id != context.user.id,
              let target = try await accounts.users.user(id: id), target.isStaff, target.agencyCode == agency
        else { throw PortalError.notFound("Không tìm thấy cán bộ này trong cơ quan của bạn.") }
        try await accounts.users.setDisabled(userID: id, disabled: disabled)
        return Response(status: .seeOther, headers: [.location: "/quan-tri/can-bo"])
    }

    /// Places a staff member of the agency in one of its units (an empty choice: in none).
    @Sendable func moveStaff(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let agency = try managedAgency(context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw UnitError.staffNotFound }
        let choice = try await request.decodeForm(UnitChoiceForm.self).unit ?? ""
        // A value that is not a number names no unit of this agency.
        let unitID: Int64? = choice.isEmpty ? nil : (Int64(choice) ?? -1)
        do {
            try await units.setUnit(userID: id, unitID: unitID, agencyCode: agency)
            return Response(status: .seeOther, headers: [.location: "/quan-tri/can-bo?thong-bao=\(UnitNotice.moved.rawValue)"])
        } catch let error as UnitError where error.isClientError && error != .notFound && error != .staffNotFound {
            return try await renderStaff(context, agencyCode: agency, problem: error.portalError.message,
                                         failedMove: (id, error.portalError.message), status: error.portalError.status)
                .response(from: request, context: context)
        }
    }

    @Sendable func outbox(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        guard context.user.role == .systemAdmin else {
            throw PortalError(status: .forbidden, message: "Chỉ quản trị hệ thống mới xem được hộp thư đi.")
        }
        let messages = try await Outbox.recent(limit: 100, in: database).map {
            OutboxRow(createdAt: VietnameseFormat.dateTime($0.createdAt), channel: $0.channel.label, recipient: $0.recipient, subject: $0.subject,
                      status: $0.status.label,
                      lastError: $0.lastError, body: redactLinks ? Self.redacted($0.bodyText) : $0.bodyText)
        }
        let failed = try await Outbox.count(.failed, in: database)
        return try renderer.render(OutboxPage(
            chrome: PageChrome(title: "Hộp thư đi", section: .outbox, context: context), modeText: mailMode, messages: messages,
            failedNotice: failed == 0 ? nil
                : "\(failed) thư hoặc tin nhắn không gửi được (máy chủ thư hay cổng SMS từ chối hẳn, hoặc đã thử hết số lần). Hãy kiểm tra người nhận và cấu hình máy chủ thư, cổng SMS."))
    }
}

extension AdministrationController {
    /// Replaces the secret of every single-use link ("?ma=…") with an ellipsis.
    static func redacted(_ body: String) -> String {
        body.replacing(/\?ma=[A-Za-z0-9_\-]+/, with: "?ma=…")
    }
}

