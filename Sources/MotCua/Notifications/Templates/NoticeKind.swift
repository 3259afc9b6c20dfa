/// Every notice the portal sends, each with a template the system administrator can edit.
enum NoticeKind: String, Sendable, CaseIterable {
    case submitted, feeRequested, paid, accepted, supplementRequested, refused, stopped, finished, returned, apologized
    case stepDueSoon, stepOverdue, dossierDueSoon, dossierOverdue
    case emailVerification, alreadyRegistered, passwordReset, passwordChanged

    /// The notice an applicant gets after a step of the back office, or nil for steps they are not told about.
    init?(after action: DossierAction) {
        switch action {
        case .submit, .register: self = .submitted
        case .accept: self = .accepted
        case .requestSupplement: self = .supplementRequested
        case .refuse: self = .refused
        case .stop: self = .stopped
        case .finish: self = .finished
        case .returnResult: self = .returned
        case .apologize: self = .apologized
        case .requestFee: self = .feeRequested
        case .pay: self = .paid
        default: return nil
        }
    }

    /// The notice the due sweep sends the holder of a step or dossier that reached `state`.
    init(due state: DueState, isStep: Bool) {
        switch (state, isStep) {
        case (.overdue, true): self = .stepOverdue
        case (.overdue, false): self = .dossierOverdue
        case (_, true): self = .stepDueSoon
        case (_, false): self = .dossierDueSoon
        }
    }

    /// The URL segment of the template's page.
    var slug: String {
        switch self {
        case .submitted: "nop-ho-so"
        case .feeRequested: "yeu-cau-nop-phi"
        case .paid: "da-nop-phi"
        case .accepted: "tiep-nhan"
        case .supplementRequested: "yeu-cau-bo-sung"
        case .refused: "tu-choi"
        case .stopped: "dung-xu-ly"
        case .finished: "co-ket-qua"
        case .returned: "tra-ket-qua"
        case .apologized: "xin-loi"
        case .stepDueSoon: "buoc-sap-den-han"
        case .stepOverdue: "buoc-qua-han"
        case .dossierDueSoon: "ho-so-sap-den-han"
        case .dossierOverdue: "ho-so-qua-han"
        case .emailVerification: "xac-thuc-email"
        case .alreadyRegistered: "da-co-tai-khoan"
        case .passwordReset: "dat-lai-mat-khau"
        case .passwordChanged: "da-doi-mat-khau"
        }
    }

    init?(slug: String) {
        guard let kind = Self.allCases.first(where: { $0.slug == slug }) else { return nil }
        self = kind
    }

    var label: String {
        switch self {
        case .submitted: "Đã nhận hồ sơ (nộp trực tuyến hoặc đăng ký hồ sơ giấy)"
        case .feeRequested: "Yêu cầu nộp phí, lệ phí (khi nộp hồ sơ hoặc do cơ quan yêu cầu)"
        case .paid: "Đã nhận phí, lệ phí"
        case .accepted: "Tiếp nhận hồ sơ và hẹn trả kết quả"
        case .supplementRequested: "Yêu cầu bổ sung, hoàn thiện hồ sơ"
        case .refused: "Từ chối tiếp nhận hồ sơ"
        case .stopped: "Dừng xử lý hồ sơ"
        case .finished: "Hồ sơ đã có kết quả"
        case .returned: "Đã trả kết quả"
        case .apologized: "Xin lỗi và hẹn lại ngày trả kết quả"
        case .stepDueSoon: "Bước xử lý sắp đến hạn (gửi cán bộ)"
        case .stepOverdue: "Bước xử lý quá hạn (gửi cán bộ)"
        case .dossierDueSoon: "Hồ sơ sắp đến hạn trả (gửi cán bộ)"
        case .dossierOverdue: "Hồ sơ quá hạn trả (gửi cán bộ)"
        case .emailVerification: "Xác thực địa chỉ thư điện tử khi đăng ký"
        case .alreadyRegistered: "Đăng ký bằng địa chỉ đã có tài khoản"
        case .passwordReset: "Đặt lại mật khẩu"
        case .passwordChanged: "Mật khẩu đã được thay đổi"
        }
    }

    var forStaff: Bool {
        switch self {
        case .stepDueSoon, .stepOverdue, .dossierDueSoon, .dossierOverdue: true
        default: false
        }
    }

    /// Notices about the account itself rather than a dossier.
    var forAccount: Bool {
        switch self {
        case .emailVerification, .alreadyRegistered, .passwordReset, .passwordChanged: true
        default: false
        }
    }

    var placeholders: [NoticePlaceholder] {
        switch self {
        case .emailVerification, .passwordReset: [.accountName, .link]
        // Sent to whoever typed the address: nothing about the account in it.
        case .alreadyRegistered: [.forgotPasswordURL]
        case .passwordChanged: [.accountName, .forgotPasswordURL]
        default: forStaff ? NoticePlaceholder.forStaff : NoticePlaceholder.forApplicant
        }
    }

    /// Placeholders the mail body must keep: without its link the mail is useless.
    var requiredInBody: [NoticePlaceholder] {
        switch self {
        case .emailVerification, .passwordReset: [.link]
        default: []
        }
    }

    var recipientLabel: String { forAccount ? "Chủ tài khoản" : forStaff ? "Cán bộ đang giữ hồ sơ" : "Người nộp hồ sơ" }
}
