import Foundation
import HTTPTypes
import Hummingbird

/// A dossier's file as the pages and the API hand it out.
struct AttachmentDownload: Sendable {
    let store: DossierStore
    let fileStore: any FileStore
    /// Draws a slip whose PDF was not made after its step.
    let slips: DossierSlips

    /// One of the dossier's files as a download: always an attachment, never shown inline.
    /// Result files reach the applicant only once the leader has approved them. Files stream from disk in
    /// chunks: a download does not hold the file in memory.
    func download(attachmentID: Int64?, of dossier: Dossier, asStaff: Bool = false, context: some RequestContext) async throws -> Response {
        let resultsVisible = asStaff || dossier.resultsVisibleToApplicant
        guard let attachmentID,
              let attachment = try await store.attachments(dossierID: dossier.id).first(where: { $0.id == attachmentID }),
              attachment.kind == .applicant || resultsVisible
        else { throw PortalError.notFound("Không tìm thấy tệp này.") }
        let body = try await fileBody(sha256: attachment.sha256, context: context)
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

    /// One of the dossier's issued slips, as the PDF it was when issued.
    func slip(_ slipID: Int64?, of dossier: Dossier, context: some RequestContext) async throws -> Response {
        guard let slipID, let code = dossier.code, let slip = try await store.slips(dossierID: dossier.id).first(where: { $0.id == slipID }) else {
            throw PortalError.notFound("Không tìm thấy phiếu này.")
        }
        guard let file = try await slips.file(of: slip, dossierID: dossier.id, store: store) else {
            throw PortalError.notFound("Không tìm thấy phiếu này.")
        }
        let body = try await fileBody(sha256: file.sha256, context: context)
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/pdf",
                .contentLength: String(file.size),
                .contentDisposition: ContentDisposition.attachment(fileName: "mau-\(slip.form)-\(code).pdf"),
                .cacheControl: "private, no-store",
            ],
            body: body)
    }

    /// A stored PDF kept with a dossier (a receipt), as a download.
    func storedPDF(sha256: String, size: Int64, fileName: String, context: some RequestContext) async throws -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "application/pdf", .contentLength: String(size),
                .contentDisposition: ContentDisposition.attachment(fileName: fileName), .cacheControl: "private, no-store",
            ],
            body: try await fileBody(sha256: sha256, context: context))
    }

    /// A stored file as a response body: streamed from disk in chunks where the store is local.
    private func fileBody(sha256: String, context: some RequestContext) async throws -> ResponseBody {
        if let path = fileStore.localPath(sha256: sha256) {
            return try await FileIO().loadFile(path: path, context: context)
        }
        return ResponseBody(byteBuffer: try await fileStore.read(sha256: sha256))
    }
}
