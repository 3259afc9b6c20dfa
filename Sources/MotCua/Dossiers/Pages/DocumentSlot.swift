import Foundation

struct FileRow: Sendable {
    var name: String
    var size: String
    var url: String
}

struct DocumentSlot: Sendable {
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
}

extension DocumentSlot {
    /// One slot per required document with its files; `uploadURL` (by document position) when files may be added.
    static func slots(
        procedure: Procedure?, attachments: [DossierAttachment], fileURL: (DossierAttachment) -> String, uploadURL: ((Int) -> String)?
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
                canUpload: uploadURL != nil, inputID: "tep-\(document.position + 1)")
        }
    }
}
