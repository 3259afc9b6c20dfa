import Hummingbird

/// Print pages of the slips the desk gives in writing at a step: the supplement request (mẫu 02) and the
/// refusal (mẫu 03). Each shows the slip as it was issued, from the values kept with it (dossier_slips.content,
/// the same values its PDF was drawn from), not from the dossier as it is now. Only staff of the dossier's
/// agency get in, as on the other slip pages.
struct IssuedSlipController: Sendable {
    let workflow: DossierWorkflow
    let renderer: HTMLRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        let office = router.group("mot-cua", context: AuthenticatedContext.self)
        office.get("ho-so/{id}/phieu-bo-sung/{number}", use: supplementRequest)
        office.get("ho-so/{id}/phieu-tu-choi/{number}", use: refusal)
    }

    /// The print page of an issued slip, for the staff page's list of slips; nil for forms printed elsewhere.
    /// `ordinal` counts from 1 among the dossier's slips of that form.
    static func printURL(dossierID: Int64, form: String, ordinal: Int) -> String? {
        switch form {
        case "02": "/mot-cua/ho-so/\(dossierID)/phieu-bo-sung/\(ordinal)"
        case "03": "/mot-cua/ho-so/\(dossierID)/phieu-tu-choi/\(ordinal)"
        default: nil
        }
    }

    @Sendable func supplementRequest(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        let (dossierID, slip, content) = try await issued(form: "02", context: context)
        guard case .supplementRequest(let values) = content else { throw PortalError.notFound(Self.missing) }
        return try renderer.render(SupplementSlipPage(
            chrome: PageChrome(title: "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ \(values.heading.dossierCode)", section: .backOffice,
                               context: context),
            id: dossierID, pdfURL: "/mot-cua/ho-so/\(dossierID)/phieu/\(slip.id)", heading: try SlipHeadingView(values.heading, form: "02"),
            applicantName: values.applicantName, procedureName: values.procedureName, receivedAt: SlipDate.moment(values.receivedAt),
            items: values.items, officerName: values.officerName, slipVersion: SupplementSlipPage.version))
    }

    @Sendable func refusal(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        let (dossierID, slip, content) = try await issued(form: "03", context: context)
        guard case .refusal(let values) = content else { throw PortalError.notFound(Self.missing) }
        return try renderer.render(RefusalSlipPage(
            chrome: PageChrome(title: "Phiếu từ chối tiếp nhận giải quyết hồ sơ \(values.heading.dossierCode)", section: .backOffice,
                               context: context),
            id: dossierID, pdfURL: "/mot-cua/ho-so/\(dossierID)/phieu/\(slip.id)", heading: try SlipHeadingView(values.heading, form: "03"),
            applicantName: values.applicantName, procedureName: values.procedureName, receivedAt: SlipDate.moment(values.receivedAt),
            reason: values.reason, officerName: values.officerName, slipVersion: RefusalSlipPage.version))
    }

    private static let missing = "Không tìm thấy phiếu này."

    /// The `number`-th slip of `form` issued to a dossier of the staff member's agency, with what it said.
    private func issued(form: String, context: AuthenticatedContext) async throws -> (Int64, IssuedSlip, SlipContent) {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw DossierError.notFound }
        let dossier = try await workflow.dossier(id, for: context.user)
        let slips = try await workflow.store.slips(dossierID: dossier.id).filter { $0.form == form }
        guard let number = context.parameters.get("number", as: Int.self), slips.indices.contains(number - 1) else {
            throw PortalError.notFound(Self.missing)
        }
        let slip = slips[number - 1]
        guard let content = try await workflow.store.slipContent(slipID: slip.id, dossierID: dossier.id) else {
            throw PortalError.notFound("Phiếu này được cấp trước khi cổng lưu nội dung để in lại; vui lòng tải bản PDF đã cấp.")
        }
        return (dossier.id, slip, content)
    }
}
