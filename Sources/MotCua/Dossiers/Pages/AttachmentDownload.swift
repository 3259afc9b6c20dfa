import Foundation
import HTTPTypes
import Hummingbird

/// A dossier's file as the pages and the API hand it out.
struct AttachmentDownload: Sendable {
    let store: DossierStore
    let fileStore: any FileStore

    /// One of the dossier's files as a download: always an attachment, never shown inline.
    /// Result files reach the applicant only once the leader has approved them. Files stream from disk in
    /// chunks: a download does not hold the file in memory.
    func download(attachmentID: Int64?, of dossier: Dossier, asStaff: Bool = false, context: some RequestContext) async throws -> Response {
        let resultsVisible = asStaff || dossier.resultsVisibleToApplicant
        guard let attachmentID,
              let attachment = try await store.attachments(dossierID: dossier.id).first(where: { $0.id == attachmentID }),
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

    /// One of the dossier's issued slips, as the PDF it was when issued.
    func slip(_ slipID: Int64?, of dossier: Dossier, context: some RequestContext) async throws -> Response {
        guard let slipID, let code = dossier.code, let slip = try await store.slips(dossierID: dossier.id).first(where: { $0.id == slipID }) else {
            throw PortalError.notFound("Không tìm thấy phiếu này.")
        }
        let body: ResponseBody
        if let path = fileStore.localPath(sha256: slip.sha256) {
            body = try await FileIO().loadFile(path: path, context: context)
        } else {
            body = ResponseBody(byteBuffer: try await fileStore.read(sha256: slip.sha256))
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/pdf",
                .contentLength: String(slip.size),
                .contentDisposition: ContentDisposition.attachment(fileName: "mau-\(slip.form)-\(code).pdf"),
                .cacheControl: "private, no-store",
            ],
            body: body)
    }
}
