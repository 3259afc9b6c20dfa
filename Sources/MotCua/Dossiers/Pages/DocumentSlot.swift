import Foundation

struct FileRow: Sendable, Encodable {
    var name: String
    var size: String
    var url: String
}

struct DocumentSlot: Sendable, Encodable {
    var number: Int
    var name: String
    var mandatory: Bool
    var formats: String
    var accept: String
    var files: [FileRow]
    var hasFiles: Bool
    var uploadURL: String
    var canUpload: Bool
    var inputID: String
    /// What a file may weigh, said before the applicant chooses one.
    var sizeHint: String
    /// Why the last upload to this slot was refused, with the file's name.
    var error: String?
}

/// A refused upload, shown beside the slot it was meant for.
struct SlotError: Sendable {
    var position: Int
    var message: String
}

extension DocumentSlot {
    /// One slot per required document with its files; `uploadURL` (by document position) when files may be added.
    static func slots(
        procedure: Procedure?, attachments: [DossierAttachment], fileURL: (DossierAttachment) -> String, uploadURL: ((Int) -> String)?,
        limits: UploadLimits = UploadLimits(), error slotError: SlotError? = nil
    ) -> [DocumentSlot] {
        (procedure?.requiredDocuments ?? []).map { document in
            let files = attachments.filter { $0.kind == .applicant && $0.documentPosition == document.position }.map {
                FileRow(name: $0.displayName, size: ProcedurePage.sizeText($0.size), url: fileURL($0))
            }
            return DocumentSlot(
                number: document.position + 1, name: document.name, mandatory: document.mandatory,
                formats: document.formats.map { $0.rawValue.uppercased() }.joined(separator: ", "),
                accept: document.formats.map { ContentSniffer.contentType($0) }.joined(separator: ","),
                files: files, hasFiles: !files.isEmpty, uploadURL: uploadURL?(document.position) ?? "",
                canUpload: uploadURL != nil, inputID: "tep-\(document.position + 1)",
                sizeHint: "tối đa \(limits.maxFileBytes / 1_048_576) MB mỗi tệp, \(limits.maxDossierBytes / 1_048_576) MB cả hồ sơ",
                error: slotError?.position == document.position ? slotError?.message : nil)
        }
    }
}
