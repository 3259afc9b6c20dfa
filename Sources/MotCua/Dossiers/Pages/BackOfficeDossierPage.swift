import Foundation

/// One step the officer may take, as its own small form.
struct ActionForm: Sendable, Encodable {
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
    /// Forward and assign: whom to hand the dossier to.
    var people: [SelectOption] = [] { didSet { hasPeople = !people.isEmpty } }
    /// Stored, not computed: templates see stored properties only.
    var hasPeople = false
    var peopleLabel = ""
    var peopleID: String
    var peopleOptional = true
    /// Returning the result: at the desk, who collected it; by post, the tracking number and the day sent.
    var needsCollector = false
    var needsTracking = false
    /// Requesting a fee: its amount.
    var needsAmount: Bool
    /// Apology: the new appointment date.
    var needsDate: Bool
    var dateID: String

    init(action: DossierAction, csrfToken: String, dossierID: Int64, error: String?) {
        self.peopleID = "nguoi-nhan-\(action.rawValue)"
        self.dateID = "ngay-hen-moi"
        self.needsDate = action == .apologize
        self.needsAmount = action == .requestFee
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
        case .sendBack: "Lý do trả lại, việc cần làm lại"
        case .apologize: "Lý do trễ hạn (ghi trên phiếu xin lỗi)"
        case .requestFee: "Khoản phí, lệ phí và căn cứ thu"
        default: "Ghi chú"
        }
        self.noteID = "ghi-chu-\(action.rawValue)"
        self.error = error
        self.isPrimary = [.accept, .forward, .finish, .returnResult].contains(action)
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
    var progress: [InfoItem]
    var hasProgress: Bool
    var handovers: [HandoverRow]
    var hasHandovers: Bool
    var apologies: [ApologyRow]
    var hasApologies: Bool
    var delivery: String?
    /// Set after the page is made (templates see stored properties only, and `didSet` does not run in `init`).
    var slips: [SlipLink] = [] { didSet { hasSlips = !slips.isEmpty } }
    var hasSlips = false
    var actions: [ActionForm]
    var hasActions: Bool
    var history: [HistoryRow]
    var problem: String?
    var notice: String?
    /// What the dossier owes and paid, with the desk's payment forms.
    var payment: PaymentPanel? = nil
}

/// A row of the control slip (mẫu 05), as the staff page and the printed slip show it.
struct HandoverRow: Sendable, Encodable {
    var number: Int
    var step: String
    var unit: String
    var handedBy: String
    var receivedBy: String
    var receivedAt: String
    var dueAt: String
    var finishedAt: String
    var outcome: String
    var outcomeClass: String
    var note: String?

    init(_ h: DossierHandover, number: Int) {
        self.number = number
        step = h.stepName
        unit = h.unitName ?? "—"
        handedBy = h.handedByName ?? (h.position == 0 ? "Người nộp hồ sơ" : "—")
        receivedBy = h.receivedByName ?? "Chờ phân công"
        receivedAt = VietnameseFormat.dateTime(h.receivedAt)
        dueAt = VietnameseFormat.dateTime(h.dueAt)
        finishedAt = h.finishedAt.map(VietnameseFormat.dateTime) ?? "Đang xử lý"
        outcome = h.outcome?.label ?? ""
        outcomeClass = h.outcome.map { "outcome-\($0.rawValue)" } ?? ""
        note = h.note.nonEmpty
    }
}

struct ApologyRow: Sendable, Encodable {
    var at: String
    var reason: String
    var previousDueAt: String
    var newDueAt: String
    var slipURL: String
}

/// An issued slip (PDF) as the dossier pages link to it.
struct SlipLink: Sendable, Encodable {
    var title: String
    var number: String
    var issuedAt: String
    var url: String
    /// The slip's print page, where the staff page has one for it (mẫu 02, 03).
    var printURL: String? = nil
    var printLabel: String? = nil
}
