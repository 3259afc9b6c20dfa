import Foundation
import NIOCore
import Synchronization

/// Stores one uploaded file for a required document of a dossier: size limits (per file, per dossier)
/// enforced while streaming and again when the file is recorded, format recognised by bytes, nothing kept
/// when anything is wrong. The API (raw body) and the pages (multipart form) both come through here; it
/// throws `UploadError` and `DossierError`, which know how they are shown.
struct AttachmentUploader: Sendable {
    let service: DossierService
    let fileStore: any FileStore
    var limits: UploadLimits { service.limits }

    struct Stored: Sendable {
        var file: StoredFile
        var contentType: String
        var displayName: String
    }

    /// A file of the applicant for one required document of their draft (or dossier sent back for supplement).
    func store<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, declaredLength: Int64?, fileName: @Sendable () -> String?, dossier: Dossier, position: Int, applicant: User
    ) async throws -> Stored where Chunks.Element == ByteBuffer {
        guard let document = try await service.procedure(of: dossier).requiredDocuments.first(where: { $0.position == position }) else {
            throw UploadError.noSuchDocument
        }
        guard dossier.acceptsApplicantFiles else { throw UploadError.closed(Dossier.closedMessage(for: .applicant)) }
        return try await write(chunks, declaredLength: declaredLength, fileName: fileName, dossier: dossier, formats: document.formats) {
            try await service.addAttachment(to: dossier, applicant: applicant, documentPosition: position, file: $0,
                                            contentType: $1, displayName: $2)
        }
    }

    /// A scan of a paper document, made by the desk for a dossier received at the desk or by post.
    func storeScan<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, declaredLength: Int64?, fileName: @Sendable () -> String?, dossier: Dossier, position: Int, staff: User
    ) async throws -> Stored where Chunks.Element == ByteBuffer {
        try DeskIntake.checkMayScan(dossier, staff)
        guard let document = try await service.procedure(of: dossier).requiredDocuments.first(where: { $0.position == position }) else {
            throw UploadError.noSuchDocument
        }
        let limits = self.limits
        return try await write(chunks, declaredLength: declaredLength, fileName: fileName, dossier: dossier, formats: document.formats) {
            try await service.store.addAttachment(
                dossierID: dossier.id, position: position, file: $0, contentType: $1, displayName: $2, kind: .applicant,
                maxDossierBytes: limits.maxDossierBytes, maxFileBytes: limits.maxFileBytes)
        }
    }

    /// A result file of the agency (a decision, a certificate), attached by the processor or the leader
    /// while the dossier is being processed.
    func storeResult<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, declaredLength: Int64?, fileName: @Sendable () -> String?, dossier: Dossier, staff: User,
        workflow: DossierWorkflow
    ) async throws -> Stored where Chunks.Element == ByteBuffer {
        try DossierWorkflow.checkMayAttachResult(dossier, staff)
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
        let tooLarge = UploadError.tooLarge(maxFileBytes: limits.maxFileBytes, remainingBytes: limit)
        // Refuse before reading when the declared size is already too much.
        if let declaredLength, declaredLength > limit + 64 * 1024 { throw tooLarge }
        let recognised = Mutex<DocumentFormat?>(nil)
        let stored: StoredFile
        do {
            stored = try await fileStore.write(chunks, maxBytes: limit) { sample in
                guard sample.size > 0 else { throw UploadError.rejected("Tệp rỗng (0 byte).") }
                guard let format = ContentSniffer.format(of: sample) else {
                    throw UploadError.rejected("Tệp không phải PDF, JPG hoặc PNG hợp lệ (hoặc bị hỏng, không trọn vẹn).")
                }
                guard accepted.contains(format) else {
                    throw UploadError.rejected("Thành phần này chỉ nhận tệp " + accepted.map { $0.rawValue.uppercased() }.joined(separator: ", ") + ".")
                }
                recognised.withLock { $0 = format }
            }
        } catch FileStoreError.tooLarge {
            throw tooLarge
        } catch let error as UploadError {
            throw error
        } catch let failure as POSIXFailure {
            throw failure  // the disk, not the client: a server error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // The request body broke off while streaming (closed early, a broken chunk); nothing was kept.
            throw UploadError.incomplete
        }
        let format = recognised.withLock { $0 } ?? .pdf
        // The name keeps the extension of what the file really is: a PDF named "trang.html" becomes "trang.pdf".
        let name = DisplayName.withExtension(DisplayName.sanitize(fileName() ?? "", fallback: "tep.\(format.rawValue)"), of: format)
        try await record(stored, ContentSniffer.contentType(format), name)
        return Stored(file: stored, contentType: ContentSniffer.contentType(format), displayName: name)
    }
}
