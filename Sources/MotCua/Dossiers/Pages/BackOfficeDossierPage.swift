import Foundation

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
