import Foundation
import Hummingbird

/// The back office over the JSON API (bearer token of a staff account): the agency's dossiers, one
/// dossier with the actions open to the caller, a step on it, result upload and file download. Another
/// agency's dossier answers 404; accounts that do not work on dossiers get 403.
struct StaffDossierAPIController: Sendable {
    let workflow: DossierWorkflow
    let uploader: AttachmentUploader
    let downloads: AttachmentDownload
    /// The list's rows as JSON, by row (`JSONList`).
    let rows: FragmentCache

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        let staff = api.group("staff/dossiers", context: AuthenticatedContext.self)
        staff.get(use: list)
        api.group("staff/queues", context: AuthenticatedContext.self).get(use: queues)
        staff.get("{id}", use: show)
        staff.post("{id}/actions", use: act)
        staff.put("{id}/result-files", use: uploadResult)
        staff.get("{id}/attachments/{attachment}", use: download)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> JSONList<StaffDossierSummaryDTO> {
        try DossierWorkflow.checkWorksOnDossiers(context.user)
        let filter = try DossierFilter(apiQuery: request)
        let now = Clock.nowMilliseconds()
        let window = try ListWindow(apiQuery: request)
        let queue = try request.queryValues["queue"].map { raw in
            guard let queue = DossierQueue(rawValue: raw) else {
                throw PortalError.badRequest("Danh sách không hợp lệ: " + DossierQueue.allCases.map(\.rawValue).joined(separator: ", ") + ".",
                                             fields: [.init(name: "queue", reason: "unknown")])
            }
            return queue
        } ?? .all
        let viewer = QueueViewer(context.user)
        let page = try await workflow.store.queue(queue, for: viewer, filter: filter, after: window.after, limit: window.limit)
        return JSONList(items: page.items.map { StaffDossierSummaryDTO($0, now: now) }, nextCursor: page.next?.text, rows: rows)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> StaffDossierDTO {
        try await dto(try await dossier(context), for: context.user)
    }

    /// The caller's work lists with their counts.
    @Sendable func queues(_ request: Request, context: AuthenticatedContext) async throws -> StaffQueuesDTO {
        try DossierWorkflow.checkWorksOnDossiers(context.user)
        let queues = DossierQueue.queues(for: context.user.role)
        let counts = try await workflow.store.counts(queues, for: QueueViewer(context.user))
        return StaffQueuesDTO(queues: queues.map { .init(queue: $0.rawValue, label: $0.label, count: counts[$0]) })
    }

    struct ActionBody: Decodable {
        var action: DossierAction
        var note: String?
        /// The person to hand the dossier to (forward) or to give the step to (assign).
        var to: Int64?
        /// The new appointment date of an apology, YYYY-MM-DD.
        var newDueDate: String?
        /// Returning at the desk: who collected the result and the ID checked.
        var collectorName: String?
        var collectorIdNumber: String?
        /// Returning by post: the tracking number and the day sent (YYYY-MM-DD).
        var trackingNumber: String?
        var sentOn: String?
        /// Requesting a fee: the amount in đồng.
        var amount: Int64?
    }

    @Sendable func act(_ request: Request, context: AuthenticatedContext) async throws -> StaffDossierDTO {
        let dossier = try await dossier(context)
        let body = try await request.decode(as: ActionBody.self, context: context)
        var input = StaffActionInput(note: body.note ?? "", toUserID: body.to)
        input.collectorName = body.collectorName
        input.collectorIDNumber = body.collectorIdNumber
        input.trackingNumber = body.trackingNumber
        if let raw = body.sentOn {
            guard let date = CivilDate(iso: raw) else {
                throw PortalError.badRequest("Ngày gửi phải có dạng YYYY-MM-DD.", fields: [.init(name: "sentOn", reason: "format")])
            }
            input.sentOn = date
        }
        if let raw = body.newDueDate {
            guard let date = CivilDate(iso: raw) else {
                throw PortalError.badRequest("Ngày hẹn mới phải có dạng YYYY-MM-DD.", fields: [.init(name: "newDueDate", reason: "format")])
            }
            input.newDueDate = date
        }
        if let amount = body.amount {
            guard amount > 0, amount <= Money.maximum.dong else {
                throw PortalError(status: .unprocessableContent, message: MoneyError.notPositive.message,
                                  fieldErrors: [.init(name: "amount", reason: "range")])
            }
            input.amount = Money(dong: amount)
        }
        let saved = try await workflow.perform(body.action, on: dossier, by: context.user, input: input)
        return try await dto(saved, for: context.user)
    }

    /// The request body is the file itself, as for the applicant's upload.
    @Sendable func uploadResult(_ request: Request, context: AuthenticatedContext) async throws -> EditedResponse<AttachmentDTO> {
        let dossier = try await dossier(context)
        let rawName = request.headers[.fileName].map { $0.removingPercentEncoding ?? $0 }
        let stored = try await uploader.storeResult(
            request.body, declaredLength: request.headers[.contentLength].flatMap(Int64.init), fileName: { rawName },
            dossier: dossier, staff: context.user, workflow: workflow)
        return EditedResponse(status: .created, response: AttachmentDTO(
            documentPosition: 0, sha256: stored.file.sha256, size: stored.file.size, contentType: stored.contentType,
            displayName: stored.displayName))
    }

    @Sendable func download(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await downloads.download(attachmentID: context.parameters.get("attachment", as: Int64.self), of: try await dossier(context),
                                    asStaff: true, context: context)
    }

    private func dossier(_ context: AuthenticatedContext) async throws -> Dossier {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw DossierError.notFound }
        return try await workflow.dossier(id, for: context.user)
    }

    private func dto(_ dossier: Dossier, for staff: User) async throws -> StaffDossierDTO {
        let records = try await workflow.store.records(of: dossier)
        let applicant = records.applicant
        return StaffDossierDTO(
            dossier: DossierDTO(dossier, attachments: records.attachments, events: records.events,
                                filesBase: "/api/v1/staff/dossiers/\(dossier.id)/attachments"),
            applicant: .init(name: applicant.displayName, email: applicant.email, phone: applicant.phone),
            availableActions: DossierWorkflow.availableActions(dossier, for: staff), progress: ProgressDTO(dossier.progress),
            handovers: records.handovers.map(HandoverDTO.init), apologies: records.apologies.map(ApologyDTO.init))
    }
}
