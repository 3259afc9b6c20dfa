import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The applicant's dossiers over the JSON API (bearer token): drafts, file upload, submit, list, read,
/// withdraw. Another account's dossier answers 404, as if it did not exist.
struct DossierAPIController: Sendable {
    let service: DossierService
    let uploader: AttachmentUploader

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
        let dossier = try await run {
            try await service.createDraft(
                applicant: context.user, agencyCode: body.agencyCode, procedureCode: body.procedureCode,
                input: .init(requestSummary: body.requestSummary ?? "", values: body.values ?? [:],
                             deliveryMethod: body.deliveryMethod, deliveryAddress: body.deliveryAddress))
        }
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
        return try await dto(try await run {
            try await service.updateDraft(
                dossierID: dossier.id, applicant: context.user,
                input: .init(requestSummary: body.requestSummary ?? "", values: body.values ?? [:],
                             deliveryMethod: body.deliveryMethod, deliveryAddress: body.deliveryAddress))
        })
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> DossierListDTO {
        let dossiers = try await service.store.dossiers(applicantID: context.user.id, filter: try DossierStore.Filter(apiQuery: request))
        return DossierListDTO(items: dossiers.map(DossierSummaryDTO.init))
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> DossierDTO {
        try await dto(try await owned(context))
    }

    @Sendable func submit(_ request: Request, context: AuthenticatedContext) async throws -> DossierDTO {
        let dossier = try await owned(context)
        return try await dto(try await run { try await service.submit(dossierID: dossier.id, applicant: context.user) })
    }

    struct WithdrawBody: Decodable { var reason: String? }

    @Sendable func withdraw(_ request: Request, context: AuthenticatedContext) async throws -> DossierDTO {
        let dossier = try await owned(context)
        let body = try? await request.decode(as: WithdrawBody.self, context: context)
        return try await dto(try await run {
            try await service.withdraw(dossierID: dossier.id, applicant: context.user, reason: body?.reason ?? "")
        })
    }

    struct NoteBody: Decodable { var note: String }

    @Sendable func supplement(_ request: Request, context: AuthenticatedContext) async throws -> DossierDTO {
        let dossier = try await owned(context)
        let body = try await request.decode(as: NoteBody.self, context: context)
        return try await dto(try await run {
            try await service.answerSupplement(dossierID: dossier.id, applicant: context.user, note: body.note)
        })
    }

    /// The request body is the file itself, streamed to disk and recognised by its bytes.
    @Sendable func upload(_ request: Request, context: AuthenticatedContext) async throws -> EditedResponse<AttachmentDTO> {
        let dossier = try await owned(context)
        guard let position = context.parameters.get("position", as: Int.self).map({ $0 - 1 }) else {
            throw PortalError.notFound("Không có thành phần hồ sơ này.")
        }
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
        try await uploader.download(attachmentID: context.parameters.get("attachment", as: Int64.self), of: try await owned(context), context: context)
    }

    private func owned(_ context: AuthenticatedContext) async throws -> Dossier {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw PortalError.notFound("Không tìm thấy hồ sơ.") }
        return try await run { try await service.ownedDossier(id, by: context.user) }
    }

    /// Result files appear to the applicant once approved.
    private func dto(_ dossier: Dossier) async throws -> DossierDTO {
        let resultsVisible = [.finished, .returned].contains(dossier.status)
        return DossierDTO(dossier, attachments: try await service.store.attachments(dossierID: dossier.id).filter { $0.kind == .applicant || resultsVisible },
                          events: try await service.store.events(dossierID: dossier.id))
    }

    private func run<T>(_ body: () async throws -> T) async throws -> T { try await DossierError.mapped(body) }
}

struct UploadRejection: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Size limits for uploads (configurable; defaults 20 MB per file and 100 MB per dossier).
struct UploadLimits: Sendable {
    var maxFileBytes: Int64 = 20 * 1_048_576
    var maxDossierBytes: Int64 = 100 * 1_048_576
}

extension DossierStore.Filter {
    /// `?status=N&code=CODE` of the list APIs; a malformed value is a 400 naming the parameter.
    init(apiQuery request: Request) throws {
        self.init()
        if let raw = request.queryValues["status"] {
            guard let value = Int(raw).flatMap(DossierStatus.init(rawValue:)) else {
                throw PortalError.badRequest("Trạng thái phải là số từ 0 đến 10.", fields: [.init(name: "status", reason: "0–10")])
            }
            status = value
        }
        if let raw = request.queryValues["code"] {
            guard DossierCode.isWellFormed(raw) else {
                throw PortalError.badRequest("Mã hồ sơ không đúng dạng <mã cơ quan>-<YYMMDD>-<NNNN>.",
                                             fields: [.init(name: "code", reason: "format")])
            }
            code = raw
        }
    }
}

extension HTTPField.Name {
    static let fileName = Self("X-File-Name")!
}

struct DossierSummaryDTO: Codable, Sendable {
    var id: Int64
    var code: String?
    var procedureName: String
    var agencyName: String
    var status: Int
    var statusLabel: String
    var createdAt: Int64
    var submittedAt: Int64?
    var dueAt: Int64?

    init(_ d: Dossier) {
        id = d.id; code = d.code; procedureName = d.procedureName; agencyName = d.agencyName
        status = d.status.rawValue; statusLabel = d.status.label; createdAt = d.createdAt
        submittedAt = d.submittedAt; dueAt = d.dueAt
    }
}

struct DossierListDTO: ResponseCodable, Sendable {
    var items: [DossierSummaryDTO]
}

struct AttachmentDTO: ResponseCodable, Sendable {
    var documentPosition: Int
    var sha256: String
    var size: Int64
    var contentType: String
    var displayName: String
}

struct DossierDTO: ResponseCodable, Sendable {
    struct File: Codable, Sendable {
        var id: Int64
        var documentPosition: Int
        var displayName: String
        var contentType: String
        var size: Int64
        var kind: AttachmentKind
        var downloadUrl: String
    }
    struct Event: Codable, Sendable {
        var at: Int64
        var actorName: String?
        var action: String
        var fromStatus: Int
        var toStatus: Int
        var note: String
    }

    var id: Int64
    var code: String?
    var agencyCode: String
    var procedureCode: String
    var procedureName: String
    var status: Int
    var statusLabel: String
    var requestSummary: String
    var values: [String: String]
    var deliveryMethod: DeliveryMethod?
    var deliveryAddress: String?
    var createdAt: Int64
    var submittedAt: Int64?
    var dueAt: Int64?
    var deskNote: String
    var files: [File]
    var history: [Event]

    /// `filesBase` is where the files of this answer are downloaded: the applicant's or the staff's API.
    init(_ d: Dossier, attachments: [DossierAttachment], events: [DossierEvent], filesBase: String? = nil) {
        id = d.id; code = d.code; agencyCode = d.agencyCode; procedureCode = d.procedureCode; procedureName = d.procedureName
        status = d.status.rawValue; statusLabel = d.status.label; requestSummary = d.requestSummary; values = d.formValues
        deliveryMethod = d.deliveryMethod; deliveryAddress = d.deliveryAddress; createdAt = d.createdAt
        submittedAt = d.submittedAt; dueAt = d.dueAt; deskNote = d.deskNote
        let base = filesBase ?? "/api/v1/dossiers/\(d.id)/attachments"
        files = attachments.map {
            File(id: $0.id, documentPosition: $0.kind == .applicant ? $0.documentPosition + 1 : 0, displayName: $0.displayName,
                 contentType: $0.contentType, size: $0.size, kind: $0.kind, downloadUrl: "\(base)/\($0.id)")
        }
        history = events.map {
            Event(at: $0.at, actorName: $0.actorName, action: $0.action, fromStatus: $0.from.rawValue, toStatus: $0.to.rawValue, note: $0.note)
        }
    }
}
