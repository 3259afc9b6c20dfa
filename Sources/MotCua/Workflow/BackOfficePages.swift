import Foundation

struct BackOfficeRow: Sendable {
    var url: String
    var code: String
    var procedureName: String
    var applicantName: String
    var submittedAt: String
    var dueAt: String?
    var status: String
    var overdue: Bool
}

struct BackOfficeListPage: PageModel {
    static let template = "backoffice/list"
    var chrome: PageChrome
    var roleLabel: String
    var rows: [BackOfficeRow]
    var hasRows: Bool
    var code: String
    var statuses: [SelectOption]
    var pager: PagerLinks
    var problem: String?
    var notice: String?
}

/// One step the officer may take, as its own small form.
struct ActionForm: Sendable {
    var action: String
    var url: String
    var csrfToken: String
    var button: String
    var heading: String
    var needsNote: Bool
    var noteLabel: String
    var noteID: String
    var error: String?
    var isPrimary: Bool

    init(action: DossierAction, csrfToken: String, dossierID: Int64, error: String?) {
        self.action = action.rawValue
        self.url = "/mot-cua/ho-so/\(dossierID)/xu-ly"
        self.csrfToken = csrfToken
        self.button = action.buttonLabel
        self.heading = action.buttonLabel
        self.needsNote = DossierWorkflow.needsNote(action)
        self.noteLabel = switch action {
        case .requestSupplement: "Các giấy tờ cần bổ sung, sửa đổi (ghi đầy đủ trong một lần)"
        case .refuse: "Lý do từ chối tiếp nhận"
        case .stop: "Lý do dừng xử lý"
        default: "Ghi chú"
        }
        self.noteID = "ghi-chu-\(action.rawValue)"
        self.error = error
        self.isPrimary = [.accept, .startProcessing, .finish, .returnResult].contains(action)
    }
}

struct BackOfficeDossierPage: PageModel {
    static let template = "backoffice/show"
    var chrome: PageChrome
    var csrfToken: String
    var id: Int64
    var code: String
    var procedureName: String
    var agencyName: String
    var overdue: Bool
    var applicant: [InfoItem]
    var facts: [InfoItem]
    var deskNote: String?
    var documents: [DocumentSlot]
    var results: [FileRow]
    var hasResults: Bool
    var canAttachResult: Bool
    var resultUploadURL: String
    var hasReceipt: Bool
    var actions: [ActionForm]
    var hasActions: Bool
    var history: [HistoryRow]
    var problem: String?
    var notice: String?
}

struct ReceiptDocument: Sendable {
    var number: Int
    var name: String
    var kind: String
    var files: Int
}

/// Mẫu 01 of Circular 01/2018/TT-VPCP. The version is printed on the slip: layouts change with the law.
struct ReceiptSlipPage: PageModel {
    static let template = "backoffice/receipt"
    static let version = "Mẫu số 01 – Thông tư 01/2018/TT-VPCP"
    var chrome: PageChrome
    var id: Int64
    var agencyName: String
    var code: String
    var applicantName: String
    var applicantAddress: String
    var applicantPhone: String
    var applicantEmail: String
    var procedureName: String
    var documents: [ReceiptDocument]
    var processingDays: Int
    var receivedAt: String
    var dueAt: String
    var delivery: String
    var receivedBy: String
    var slipVersion: String
}

/// Who filed a dossier, as the desk needs to reach them.
enum ApplicantFacts {
    static func items(_ user: User) -> [InfoItem] {
        var items = [InfoItem(label: user.kind == .organization ? "Tổ chức" : "Họ và tên", value: user.displayName)]
        if let citizenID = user.citizenID { items.append(InfoItem(label: "Số CCCD", value: citizenID)) }
        if let taxCode = user.taxCode { items.append(InfoItem(label: "Mã số thuế", value: taxCode)) }
        if let representative = user.representative { items.append(InfoItem(label: "Người đại diện", value: representative)) }
        items.append(InfoItem(label: "Thư điện tử", value: user.email))
        if !user.phone.isEmpty { items.append(InfoItem(label: "Điện thoại", value: user.phone)) }
        if !user.address.isEmpty { items.append(InfoItem(label: "Địa chỉ", value: user.address)) }
        return items
    }
}

extension DossierAction {
    /// The officer's button for this step.
    var buttonLabel: String {
        switch self {
        case .accept: "Tiếp nhận hồ sơ"
        case .requestSupplement: "Yêu cầu bổ sung"
        case .refuse: "Từ chối tiếp nhận"
        case .requestFee: "Yêu cầu nộp phí"
        case .startProcessing: "Bắt đầu xử lý"
        case .finish: "Phê duyệt kết quả"
        case .stop: "Dừng xử lý"
        case .returnResult: "Trả kết quả"
        case .submit: "Nộp hồ sơ"
        case .withdraw: "Rút hồ sơ"
        case .supplement: "Gửi hồ sơ bổ sung"
        case .pay: "Nộp phí"
        }
    }

    /// The notice after the step was taken.
    var doneText: String {
        switch self {
        case .accept: "Đã tiếp nhận hồ sơ và gửi giấy hẹn trả kết quả cho người nộp."
        case .requestSupplement: "Đã gửi yêu cầu bổ sung hồ sơ cho người nộp."
        case .refuse: "Đã từ chối tiếp nhận và thông báo lý do cho người nộp."
        case .startProcessing: "Đã chuyển hồ sơ sang xử lý."
        case .finish: "Đã phê duyệt kết quả; người nộp đã được thông báo."
        case .stop: "Đã dừng xử lý hồ sơ."
        case .returnResult: "Đã trả kết quả."
        default: "Đã thực hiện."
        }
    }
}

extension DossierStatus {
    /// What happened, in the office's words, for the staff history (after the actor's name).
    static func staffHistoryText(_ action: String) -> String {
        switch DossierAction(rawValue: action) {
        case .submit: "nộp hồ sơ trực tuyến"
        case .withdraw: "rút hồ sơ"
        case .supplement: "gửi hồ sơ bổ sung"
        case .pay: "nộp phí, lệ phí"
        case .some(let action): action.buttonLabel.lowercased()
        case nil: action
        }
    }
}
