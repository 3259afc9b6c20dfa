import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Stores one uploaded file for a required document of a dossier: size limits (per file, per dossier)
/// enforced while streaming, format recognised by bytes, nothing kept when anything is wrong. The API
/// (raw body) and the pages (multipart form) both come through here.
struct AttachmentUploader: Sendable {
    let service: DossierService
    let fileStore: any FileStore
    let limits: UploadLimits

    struct Stored: Sendable {
        var file: StoredFile
        var contentType: String
        var displayName: String
    }

    /// A file of the applicant for one required document of their draft (or dossier sent back for supplement).
    func store<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, declaredLength: Int64?, fileName: @Sendable () -> String?, dossier: Dossier, position: Int, applicant: User
    ) async throws -> Stored where Chunks.Element == ByteBuffer {
        guard let procedure = try await service.catalog.procedure(agencyCode: dossier.agencyCode, code: dossier.procedureCode),
              let document = procedure.requiredDocuments.first(where: { $0.position == position })
        else { throw PortalError.notFound("Không có thành phần hồ sơ này.") }
        guard [.draft, .supplementRequested].contains(dossier.status) else {
            throw PortalError(status: .conflict, message: "Chỉ thêm được tệp khi hồ sơ còn là bản nháp hoặc đang được yêu cầu bổ sung.")
        }
        return try await write(chunks, declaredLength: declaredLength, fileName: fileName, dossier: dossier, formats: document.formats) {
            try await service.addAttachment(dossierID: dossier.id, applicant: applicant, documentPosition: position, file: $0,
                                            contentType: $1, displayName: $2)
        }
    }

    /// A result file of the agency (a decision, a certificate), attached by the processor or the leader
    /// while the dossier is being processed.
    func storeResult<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, declaredLength: Int64?, fileName: @Sendable () -> String?, dossier: Dossier, staff: User,
        workflow: DossierWorkflow
    ) async throws -> Stored where Chunks.Element == ByteBuffer {
        try await DossierError.mapped { try DossierWorkflow.checkMayAttachResult(dossier, staff) }
        return try await write(chunks, declaredLength: declaredLength, fileName: fileName, dossier: dossier, formats: DocumentFormat.allCases) {
            try await workflow.addResult(dossierID: dossier.id, staff: staff, file: $0, contentType: $1, displayName: $2)
        }
    }

    /// Streams the file to the store (limits enforced while streaming, format recognised by its bytes), then
    /// records it with `record`; nothing is recorded when anything is wrong.
    private func write<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, declaredLength: Int64?, fileName: @Sendable () -> String?, dossier: Dossier, formats accepted: [DocumentFormat],
        record: (StoredFile, String, String) async throws -> Void
    ) async throws -> Stored where Chunks.Element == ByteBuffer {
        let used = try await service.store.attachments(dossierID: dossier.id).reduce(Int64(0)) { $0 + $1.size }
        let limit = min(limits.maxFileBytes, limits.maxDossierBytes - used)
        // Refuse before reading when the declared size is already too much.
        if let declaredLength, declaredLength > limit + 64 * 1024 { throw tooLarge(limit) }
        let recognised = Mutex<DocumentFormat?>(nil)
        let stored: StoredFile
        do {
            stored = try await fileStore.write(chunks, maxBytes: limit) { sample in
                guard sample.size > 0 else { throw UploadRejection("Tệp rỗng (0 byte).") }
                guard let format = ContentSniffer.format(of: sample) else {
                    throw UploadRejection("Tệp không phải PDF, JPG hoặc PNG hợp lệ (hoặc bị hỏng, không trọn vẹn).")
                }
                guard accepted.contains(format) else {
                    throw UploadRejection("Thành phần này chỉ nhận tệp " + accepted.map { $0.rawValue.uppercased() }.joined(separator: ", ") + ".")
                }
                recognised.withLock { $0 = format }
            }
        } catch FileStoreError.tooLarge {
            throw tooLarge(limit)
        } catch let rejection as UploadRejection {
            throw PortalError(status: .unsupportedMediaType, message: rejection.message)
        } catch let error as PortalError {
            throw error
        } catch let failure as POSIXFailure {
            throw failure  // the disk, not the client: a server error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // The request body broke off while streaming (closed early, a broken chunk); nothing was kept.
            throw PortalError.badRequest("Tệp tải lên không trọn vẹn: kết nối bị ngắt trước khi gửi xong. Vui lòng tải lại.",
                                         fields: [.init(name: "body", reason: "incomplete")])
        }
        let format = recognised.withLock { $0 } ?? .pdf
        // The name keeps the extension of what the file really is: a PDF named "trang.html" becomes "trang.pdf".
        let name = DisplayName.withExtension(DisplayName.sanitize(fileName() ?? "", fallback: "tep.\(format.rawValue)"), of: format)
        try await DossierError.mapped { try await record(stored, ContentSniffer.contentType(format), name) }
        return Stored(file: stored, contentType: ContentSniffer.contentType(format), displayName: name)
    }

    /// One of the dossier's files as a download: always an attachment, never shown inline.
    /// Result files reach the applicant only once the leader has approved them. Files stream from disk in
    /// chunks: a download does not hold the file in memory.
    func download(attachmentID: Int64?, of dossier: Dossier, asStaff: Bool = false, context: some RequestContext) async throws -> Response {
        let resultsVisible = asStaff || [.finished, .returned].contains(dossier.status)
        guard let attachmentID,
              let attachment = try await service.store.attachments(dossierID: dossier.id).first(where: { $0.id == attachmentID }),
              attachment.kind == .applicant || resultsVisible
        else { throw PortalError.notFound("Không tìm thấy tệp này.") }
        let body: ResponseBody
        if let path = fileStore.localPath(sha256: attachment.sha256) {
            body = try await FileIO().loadFile(path: path, context: context)
        } else {
            body = ResponseBody(byteBuffer: try await fileStore.read(sha256: attachment.sha256))
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: attachment.contentType,
                .contentLength: String(attachment.size),
                .contentDisposition: ContentDisposition.attachment(fileName: attachment.displayName),
                .cacheControl: "private, no-store",
            ],
            body: body)
    }

    private func tooLarge(_ limit: Int64) -> PortalError {
        PortalError(status: .contentTooLarge,
                    message: "Tệp vượt quá dung lượng cho phép (mỗi tệp tối đa \(limits.maxFileBytes / 1_048_576) MB; còn lại cho hồ sơ này \(max(0, limit) / 1_048_576) MB).")
    }
}
