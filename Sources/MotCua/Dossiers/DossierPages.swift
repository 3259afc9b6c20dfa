import Foundation
import Hummingbird

/// A field of a procedure's own form, or the request summary: input, textarea or select.
struct DynamicField: Sendable {
    var id: String
    var name: String
    var label: String
    var required: Bool
    var value: String
    var error: String?
    var inputType: String
    var isTextarea: Bool
    var isSelect: Bool
    var options: [SelectOption]
    var maxLength: Int?

    init(_ field: FormField, value: String, error: String?) {
        id = "truong-" + field.key.replacingOccurrences(of: "_", with: "-")
        name = "f_" + field.key
        label = field.label
        required = field.required
        self.value = value
        self.error = error
        isTextarea = field.type == .textarea
        isSelect = field.type == .select
        inputType = switch field.type {
        case .number: "number"
        case .date: "date"
        case .email: "email"
        case .phone: "tel"
        default: "text"
        }
        options = (field.options ?? []).map { SelectOption(value: $0, label: $0, selected: $0 == value) }
        maxLength = field.maxLength
    }
}

struct DeliveryChoice: Sendable {
    var value: String
    var label: String
    var checked: Bool
    var id: String
}

struct StartDossierPage: PageModel {
    static let template = "dossiers/start"
    var chrome: PageChrome
    var csrfToken: String
    var action: String
    /// Editing a saved draft: where "cancel" leads back to.
    var cancelURL: String?
    var applicant: [InfoItem]
    var procedureName: String
    var agencyName: String
    var documents: [String]
    var summary: String
    var summaryError: String?
    var fields: [DynamicField]
    var deliveries: [DeliveryChoice]
    var deliveryError: String?
    var deliveryAddress: String
    var deliveryAddressError: String?
    var problem: String?
    var notice: String?
}

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

/// The facts of a dossier shown to its applicant and to staff: code, status, dates, request, own fields, delivery.
enum DossierFacts {
    static func items(_ dossier: Dossier, procedure: Procedure?) -> [InfoItem] {
        var facts = [InfoItem(label: "Trạng thái", value: dossier.status.label)]
        if let code = dossier.code { facts.insert(InfoItem(label: "Mã hồ sơ", value: code), at: 0) }
        if let submitted = dossier.submittedAt { facts.append(InfoItem(label: "Ngày nộp", value: VietnameseFormat.dateTime(submitted))) }
        if let accepted = dossier.acceptedAt { facts.append(InfoItem(label: "Ngày tiếp nhận", value: VietnameseFormat.dateTime(accepted))) }
        if let due = dossier.dueAt { facts.append(InfoItem(label: "Ngày hẹn trả", value: VietnameseFormat.dateTime(due))) }
        if !dossier.requestSummary.isEmpty { facts.append(InfoItem(label: "Nội dung yêu cầu", value: dossier.requestSummary)) }
        for field in procedure?.formFields ?? [] {
            if let value = dossier.formValues[field.key], !value.isEmpty { facts.append(InfoItem(label: field.label, value: value)) }
        }
        if let method = dossier.deliveryMethod {
            facts.append(InfoItem(label: "Nhận kết quả", value: method.label + (dossier.deliveryAddress.map { ": \($0)" } ?? "")))
        }
        return facts
    }
}

struct HistoryRow: Sendable {
    var at: String
    var text: String
    var note: String?
}

struct DossierPage: PageModel {
    static let template = "dossiers/show"
    var chrome: PageChrome
    var heading: String
    var csrfToken: String
    var id: Int64
    var code: String?
    var statusLabel: String
    var procedureName: String
    var agencyName: String
    var facts: [InfoItem]
    var documents: [DocumentSlot]
    var results: [FileRow]
    var hasResults: Bool
    var history: [HistoryRow]
    /// The review step: read-only, with the submit button.
    var isReview: Bool
    var canEdit: Bool
    var canReview: Bool
    var canSubmit: Bool
    var missingDocuments: String?
    /// The desk's supplement request, while the dossier waits for it.
    var deskRequest: String?
    /// Why the dossier was refused or stopped.
    var deskReason: String?
    var canSupplement: Bool
    var canWithdraw: Bool
    var problem: String?
    var notice: String?
}

struct DossierRow: Sendable {
    var url: String
    var code: String
    var procedureName: String
    var agencyName: String
    var status: String
    var createdAt: String
    var dueAt: String?
}

struct MyDossiersPage: PageModel {
    static let template = "dossiers/list"
    var chrome: PageChrome
    var rows: [DossierRow]
    var hasRows: Bool
    var statuses: [SelectOption]
    var pager: PagerLinks
}

/// `?trang=N` of a list page, one-based, with the links to the neighbouring pages.
struct Paging: Sendable {
    let page: Int
    let pageSize: Int
    var offset: Int { (page - 1) * pageSize }

    init(_ request: Request, pageSize: Int) {
        self.page = request.queryValues["trang"].flatMap(Int.init).map { min(max($0, 1), 100_000) } ?? 1
        self.pageSize = pageSize
    }

    func links(path: String, hasMore: Bool, keeping parameters: [String: String?]) -> PagerLinks {
        let kept = parameters.compactMap { key, value in value.map { URLQueryItem(name: key, value: $0) } }.sorted { $0.name < $1.name }
        func url(_ page: Int) -> String {
            path + SiteURL.encodedQuery(kept + (page > 1 ? [URLQueryItem(name: "trang", value: String(page))] : []))
        }
        return PagerLinks(page: page, previous: page > 1 ? url(page - 1) : nil, next: hasMore ? url(page + 1) : nil,
                          hasLinks: page > 1 || hasMore)
    }
}

struct PagerLinks: Sendable {
    var page: Int
    var previous: String?
    var next: String?
    var hasLinks: Bool
}

extension DossierStatus {
    /// What happened, in the applicant's words, for the history timeline.
    static func historyText(_ action: String) -> String {
        switch DossierAction(rawValue: action) {
        case .submit: "Bạn đã nộp hồ sơ trực tuyến."
        case .withdraw: "Bạn đã rút hồ sơ."
        case .supplement: "Bạn đã bổ sung hồ sơ."
        case .pay: "Bạn đã nộp phí, lệ phí."
        case .accept: "Bộ phận một cửa đã tiếp nhận hồ sơ."
        case .refuse: "Bộ phận một cửa từ chối tiếp nhận hồ sơ."
        case .requestSupplement: "Bộ phận một cửa yêu cầu bổ sung hồ sơ."
        case .requestFee: "Cơ quan yêu cầu nộp phí, lệ phí."
        case .startProcessing: "Chuyên viên bắt đầu xử lý hồ sơ."
        case .stop: "Cơ quan dừng xử lý hồ sơ."
        case .finish: "Hồ sơ đã có kết quả."
        case .returnResult: "Đã trả kết quả."
        case nil: action
        }
    }
}
