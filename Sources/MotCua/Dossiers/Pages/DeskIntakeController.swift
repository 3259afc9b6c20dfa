import Foundation
import HTTPTypes
import Hummingbird

/// "Tiếp nhận hồ sơ giấy": the receptionist registers a dossier brought to the desk or received by post for an
/// applicant who may have no account, scans its documents in on the dossier page, and registers it.
struct DeskIntakeController: Sendable {
    let intake: DeskIntake
    let uploader: AttachmentUploader
    let renderer: HTMLRenderer
    /// How long an untouched draft is kept (DraftCleanup removes it after), shown beside the paper drafts.
    var draftMaxAgeDays: Int = 30

    func addRoutes(to router: Router<AppRequestContext>) {
        let office = router.group("mot-cua", context: AuthenticatedContext.self)
        office.get("tiep-nhan-ho-so-giay", use: form)
        office.post("tiep-nhan-ho-so-giay", use: start)
        office.post("ho-so/{id}/quet/{position}", use: scan)
    }

    private func procedures(_ staff: User) async throws -> [ProcedureSummary] {
        try await SQLCatalogRepository(database: intake.database).summaries().filter { $0.agencyCode == staff.agencyCode }
    }

    private func page(_ context: AuthenticatedContext, applicant: DeskIntake.Applicant = .init(), request: DeskIntake.Request = .init(),
                      errors: FieldErrors = FieldErrors()) async throws -> DeskIntakePage {
        let options = try await procedures(context.user).map {
            SelectOption(value: $0.code, label: "\($0.code) – \($0.name)", selected: $0.code == request.procedureCode)
        }
        let drafts = try await intake.store.paperDrafts(agencyCode: context.user.agencyCode ?? "").map(PaperDraftRow.init)
        return DeskIntakePage(
            chrome: PageChrome(title: "Tiếp nhận hồ sơ giấy", section: .backOffice, context: context), csrfToken: context.csrfToken,
            drafts: drafts, hasDrafts: !drafts.isEmpty, draftMaxAgeDays: draftMaxAgeDays,
            procedures: options, procedureError: errors["procedure"],
            channels: [(DossierChannel.desk, "Nộp trực tiếp tại Bộ phận một cửa"), (.post, "Nhận qua dịch vụ bưu chính")].map {
                SelectOption(value: String($0.0.rawValue), label: $0.1, selected: $0.0 == request.channel)
            },
            kinds: [(AccountKind.individual, "Cá nhân (số căn cước công dân)"), (.organization, "Tổ chức (mã số thuế)")].map {
                SelectOption(value: $0.0.rawValue, label: $0.1, selected: $0.0 == applicant.kind)
            },
            fields: [
                FormInput("name", "Họ tên người nộp (hoặc tên tổ chức)", value: applicant.name, errors: errors, maxLength: 100),
                FormInput("id_number", "Số căn cước công dân (12 số) hoặc mã số thuế", value: applicant.idNumber, errors: errors,
                          autocomplete: "off", maxLength: 14),
                FormInput("phone", "Số điện thoại di động", type: "tel", value: applicant.phone, errors: errors, autocomplete: "off", maxLength: 15),
                FormInput("address", "Địa chỉ", value: applicant.address, errors: errors, maxLength: 300),
                FormInput("email", "Thư điện tử (không bắt buộc: để nhận thông báo và sau này xem hồ sơ trên Cổng)", type: "email",
                          value: applicant.email, errors: errors, autocomplete: "off", required: false, maxLength: 254),
                FormInput("summary", "Nội dung yêu cầu (để trống: tên thủ tục)", value: request.summary, errors: errors, required: false,
                          maxLength: 500),
                FormInput("delivery_address", "Địa chỉ nhận kết quả qua bưu chính (nếu chọn bưu chính)", value: request.deliveryAddress,
                          errors: errors, required: false, maxLength: 300),
            ],
            deliveries: DeliveryMethod.allCases.map { SelectOption(value: $0.rawValue, label: $0.label, selected: $0 == request.delivery) },
            problem: errors.isEmpty ? nil : "Chưa đăng ký: vui lòng sửa các mục được đánh dấu.")
    }

    private static func checkReceptionist(_ staff: User) throws {
        guard staff.role == .receptionist, staff.agencyCode != nil else {
            throw PortalError(status: .forbidden, message: "Chỉ cán bộ tiếp nhận được đăng ký hồ sơ nộp trực tiếp hoặc qua bưu chính.")
        }
    }

    @Sendable func form(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        try Self.checkReceptionist(context.user)
        return try renderer.render(try await page(context))
    }

    @Sendable func start(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try Self.checkReceptionist(context.user)
        let values = try await request.decodeForm(PaperDossierForm.self)
        let applicant = DeskIntake.Applicant(
            kind: values.kind.flatMap(AccountKind.init(rawValue:)).flatMap { $0 == .staff ? nil : $0 } ?? .individual,
            name: values.name ?? "", idNumber: values.idNumber ?? "", phone: values.phone ?? "",
            address: values.address ?? "", email: values.email ?? "")
        let intakeRequest = DeskIntake.Request(
            procedureCode: values.procedure ?? "",
            channel: values.channel.flatMap(Int.init).flatMap(DossierChannel.init(rawValue:)) ?? .online,
            summary: values.summary ?? "", delivery: values.deliveryMethod.flatMap(DeliveryMethod.init(rawValue:)) ?? .desk,
            deliveryAddress: values.deliveryAddress ?? "")
        do {
            let draft = try await intake.start(by: context.user, applicant: applicant, request: intakeRequest)
            return Response(status: .seeOther, headers: [.location: "/mot-cua/ho-so/\(draft.id)?thong-bao=giay"])
        } catch DossierError.invalidFields(let errors) {
            return try renderer.render(try await page(context, applicant: applicant, request: intakeRequest, errors: errors),
                                       status: .unprocessableContent).response(from: request, context: context)
        }
    }

    @Sendable func scan(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try Self.checkReceptionist(context.user)
        guard let id = context.parameters.get("id", as: Int64.self), let position = context.parameters.get("position", as: Int.self),
              let dossier = try await intake.store.dossier(id: id), dossier.isVisible(to: context.user)
        else { throw DossierError.notFound }
        guard let boundary = MultipartFileStream.boundary(from: request.headers[.contentType]) else {
            throw PortalError.badRequest("Yêu cầu tải tệp không hợp lệ.")
        }
        let stream = MultipartFileStream(body: request.body, boundary: boundary)
        _ = try await uploader.storeScan(
            stream, declaredLength: request.headers[.contentLength].flatMap(Int64.init), fileName: { stream.fileName.current },
            dossier: dossier, position: position - 1, staff: context.user)
        return Response(status: .seeOther, headers: [.location: "/mot-cua/ho-so/\(dossier.id)?thong-bao=da-quet"])
    }
}

/// A paper draft in the list "Hồ sơ giấy đang nhập", with the link to go on with it.
struct PaperDraftRow: Sendable, Encodable {
    var url: String
    var applicantName: String
    var applicantIDNumber: String
    var procedureName: String
    var channel: String
    var createdAt: String
    var updatedAt: String
    var scans: Int

    init(_ draft: PaperDraft) {
        url = "/mot-cua/ho-so/\(draft.id)"
        applicantName = draft.applicantName
        applicantIDNumber = draft.applicantIDNumber
        procedureName = draft.procedureName
        channel = draft.channel == .post ? "Qua bưu chính" : "Trực tiếp"
        createdAt = VietnameseFormat.dateTime(draft.createdAt)
        updatedAt = VietnameseFormat.dateTime(draft.updatedAt)
        scans = draft.scans
    }
}

struct DeskIntakePage: PageModel {
    static let template = "backoffice/intake"
    var chrome: PageChrome
    var csrfToken: String
    /// The agency's paper dossiers started and not registered yet.
    var drafts: [PaperDraftRow]
    var hasDrafts: Bool
    var draftMaxAgeDays: Int
    var procedures: [SelectOption]
    var procedureError: String?
    var channels: [SelectOption]
    var kinds: [SelectOption]
    var fields: [FormInput]
    var deliveries: [SelectOption]
    var problem: String?
    var notice: String?
}

/// The paper intake form as posted: the applicant as the receptionist typed them, and the request.
struct PaperDossierForm: Decodable {
    var kind: String?
    var name: String?
    var idNumber: String?
    var phone: String?
    var address: String?
    var email: String?
    var procedure: String?
    var channel: String?
    var summary: String?
    var deliveryMethod: String?
    var deliveryAddress: String?

    enum CodingKeys: String, CodingKey {
        case kind, name, phone, address, email, procedure, channel, summary
        case idNumber = "id_number"
        case deliveryMethod = "delivery_method"
        case deliveryAddress = "delivery_address"
    }
}
