import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The applicant's dossiers over the JSON API (bearer token): drafts, file upload, submit, list, read,
/// withdraw. Another account's dossier answers 404, as if it did not exist.
struct DossierAPIController: Sendable {
    let service: DossierService
    let uploader: AttachmentUploader
    let downloads: AttachmentDownload
    /// The list's rows as JSON, by row (`JSONList`).
    let rows: FragmentCache

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        let mine = api.group("dossiers", context: AuthenticatedContext.self)
        mine.get(use: list)
        mine.post(use: create)
        mine.get("{id}", use: show)
        mine.put("{id}", use: update)
        mine.put("{id}/documents/{position}/files", use: upload)
        mine.post("{id}/submit", use: submit)
        mine.post("{id}/withdraw", use: withdraw)
        mine.post("{id}/supplement", use: supplement)
        mine.get("{id}/attachments/{attachment}", use: download)
    }

    struct CreateBody: Decodable {
        var agencyCode: String
        var procedureCode: String
        var requestSummary: String?
        var values: [String: String]?
        var deliveryMethod: DeliveryMethod?
        var deliveryAddress: String?
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> EditedResponse<DossierDTO> {
        let body = try await request.decode(as: CreateBody.self, context: context)
        let dossier = try await service.createDraft(
                applicant: context.user, agencyCode: body.agencyCode, procedureCode: body.procedureCode,
                input: .init(requestSummary: body.requestSummary ?? "", values: body.values ?? [:],
                             deliveryMethod: body.deliveryMethod, deliveryAddress: body.deliveryAddress))
        return EditedResponse(status: .created, headers: [.location: "/api/v1/dossiers/\(dossier.id)"],
                              response: try await dto(dossier))
    }

    struct UpdateBody: Decodable {
        var requestSummary: String?
        var values: [String: String]?
        var deliveryMethod: DeliveryMethod?
        var deliveryAddress: String?
    }

    /// Replaces the editable fields of the applicant's draft (the files stay).
    @Sendable func update(_ request: Request, context: AuthenticatedContext) async throws -> DossierDTO {
        let dossier = try await owned(context)
        let body = try await request.decode(as: UpdateBody.self, context: context)
        return try await dto(try await service.updateDraft(
            dossierID: dossier.id, applicant: context.user,
            input: .init(requestSummary: body.requestSummary ?? "", values: body.values ?? [:],
                         deliveryMethod: body.deliveryMethod, deliveryAddress: body.deliveryAddress)))
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> JSONList<DossierSummaryDTO> {
        let window = try ListWindow(apiQuery: request)
        let page = try await service.store.summaries(applicantID: context.user.id, filter: try DossierFilter(apiQuery: request),
                                                     after: window.after, limit: window.limit)
        return JSONList(items: page.items.map(DossierSummaryDTO.init), nextCursor: page.next?.text, rows: rows)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> DossierDTO {
        try await dto(try await owned(context))
    }

    @Sendable func submit(_ request: Request, context: AuthenticatedContext) async throws -> DossierDTO {
        let dossier = try await owned(context)
        return try await dto(try await service.submit(dossier, applicant: context.user))
    }

    struct WithdrawBody: Decodable { var reason: String? }

    @Sendable func withdraw(_ request: Request, context: AuthenticatedContext) async throws -> DossierDTO {
        let dossier = try await owned(context)
        // The body is optional (no reason given); a body that is there must be valid JSON.
        var request = request
        var reason = ""
        if try await request.collectBody(upTo: 64 * 1024).readableBytes > 0 {
            do {
                reason = try await request.decode(as: WithdrawBody.self, context: context).reason ?? ""
            } catch {
                throw PortalError.badRequest("Nội dung gửi lên không phải JSON hợp lệ ({\"reason\": \"…\"}).",
                                             fields: [.init(name: "body", reason: "invalid JSON")])
            }
        }
        return try await dto(try await service.withdraw(dossierID: dossier.id, applicant: context.user, reason: reason))
    }

    struct NoteBody: Decodable { var note: String }

    @Sendable func supplement(_ request: Request, context: AuthenticatedContext) async throws -> DossierDTO {
        let dossier = try await owned(context)
        let body = try await request.decode(as: NoteBody.self, context: context)
        return try await dto(try await service.answerSupplement(dossierID: dossier.id, applicant: context.user, note: body.note))
    }

    /// The request body is the file itself, streamed to disk and recognised by its bytes.
    @Sendable func upload(_ request: Request, context: AuthenticatedContext) async throws -> EditedResponse<AttachmentDTO> {
        let dossier = try await owned(context)
        guard let position = context.parameters.get("position", as: Int.self).map({ $0 - 1 }) else { throw UploadError.noSuchDocument }
        // Header values are ASCII: clients send UTF-8 names percent-encoded.
        let rawName = request.headers[.fileName].map { $0.removingPercentEncoding ?? $0 }
        let stored = try await uploader.store(
            request.body, declaredLength: request.headers[.contentLength].flatMap(Int64.init), fileName: { rawName },
            dossier: dossier, position: position, applicant: context.user)
        return EditedResponse(status: .created, response: AttachmentDTO(
            documentPosition: position + 1, sha256: stored.file.sha256, size: stored.file.size,
            contentType: stored.contentType, displayName: stored.displayName))
    }

    @Sendable func download(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await downloads.download(attachmentID: context.parameters.get("attachment", as: Int64.self), of: try await owned(context), context: context)
    }

    private func owned(_ context: AuthenticatedContext) async throws -> Dossier {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw DossierError.notFound }
        return try await service.ownedDossier(id, by: context.user)
    }

    /// Result files appear to the applicant once approved.
    private func dto(_ dossier: Dossier) async throws -> DossierDTO {
        let resultsVisible = dossier.resultsVisibleToApplicant
        let (attachments, events) = try await service.store.filesAndHistory(of: dossier.id)
        return DossierDTO(dossier, attachments: attachments.filter { $0.kind == .applicant || resultsVisible }, events: events)
    }
}

extension HTTPField.Name {
    static let fileName = Self("X-File-Name")!
}
