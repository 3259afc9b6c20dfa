import Foundation

/// How steps read on the pages: the officer's buttons, the notices after a step, and the history lines.
extension DossierAction {
    /// The officer's button for this step.
    var buttonLabel: String {
        switch self {
        case .accept: "Tiếp nhận hồ sơ"
        case .requestSupplement: "Yêu cầu bổ sung"
        case .refuse: "Từ chối tiếp nhận"
        case .requestFee: "Yêu cầu nộp phí"
        case .forward: "Chuyển bước tiếp theo"
        case .assign: "Phân công xử lý"
        case .sendBack: "Trả lại bước trước"
        case .apologize: "Xin lỗi và hẹn lại ngày trả"
        case .finish: "Phê duyệt kết quả"
        case .stop: "Dừng xử lý"
        case .returnResult: "Trả kết quả"
        case .submit: "Nộp hồ sơ"
        case .register: "Đăng ký hồ sơ (cấp mã)"
        case .withdraw: "Rút hồ sơ"
        case .supplement: "Gửi hồ sơ bổ sung"
        case .pay: "Xác nhận đã nộp phí"
        case .refund: "Hoàn trả phí, lệ phí"
        }
    }

    /// The notice after the step was taken.
    var doneText: String {
        switch self {
        case .register: "Đã đăng ký hồ sơ và cấp mã; tiếp theo: tiếp nhận hồ sơ."
        case .accept: "Đã tiếp nhận hồ sơ và gửi giấy hẹn trả kết quả cho người nộp."
        case .requestSupplement: "Đã gửi yêu cầu bổ sung hồ sơ cho người nộp."
        case .refuse: "Đã từ chối tiếp nhận và thông báo lý do cho người nộp."
        case .forward: "Đã chuyển hồ sơ sang bước tiếp theo."
        case .assign: "Đã phân công xử lý hồ sơ."
        case .sendBack: "Đã trả hồ sơ về bước trước."
        case .apologize: "Đã lập phiếu xin lỗi và hẹn lại ngày trả kết quả; người nộp đã được thông báo."
        case .finish: "Đã phê duyệt kết quả; người nộp đã được thông báo."
        case .stop: "Đã dừng xử lý hồ sơ."
        case .returnResult: "Đã trả kết quả."
        default: "Đã thực hiện."
        }
    }

    /// What happened, in the applicant's words, for the history timeline.
    var applicantHistoryText: String {
        switch self {
        case .submit: "Bạn đã nộp hồ sơ trực tuyến."
        case .register: "Bộ phận một cửa đăng ký hồ sơ nộp trực tiếp hoặc qua bưu chính."
        case .withdraw: "Bạn đã rút hồ sơ."
        case .supplement: "Bạn đã bổ sung hồ sơ."
        case .pay: "Bạn đã nộp phí, lệ phí."
        case .accept: "Bộ phận một cửa đã tiếp nhận hồ sơ."
        case .refuse: "Bộ phận một cửa từ chối tiếp nhận hồ sơ."
        case .requestSupplement: "Bộ phận một cửa yêu cầu bổ sung hồ sơ."
        case .requestFee: "Cơ quan yêu cầu nộp phí, lệ phí."
        case .forward: "Hồ sơ được chuyển sang bước xử lý tiếp theo."
        case .assign: "Hồ sơ được phân công cho chuyên viên xử lý."
        case .sendBack: "Hồ sơ được trả về bước trước để xử lý lại."
        case .apologize: "Cơ quan gửi thư xin lỗi và hẹn lại ngày trả kết quả."
        case .stop: "Cơ quan dừng xử lý hồ sơ."
        case .finish: "Hồ sơ đã có kết quả."
        case .returnResult: "Đã trả kết quả."
        case .refund: "Cơ quan đã hoàn trả phí, lệ phí."
        }
    }

    /// What happened, in the office's words, for the staff history (after the actor's name).
    var staffHistoryText: String {
        switch self {
        case .submit: "nộp hồ sơ trực tuyến"
        case .withdraw: "rút hồ sơ"
        case .supplement: "gửi hồ sơ bổ sung"
        case .pay: "nộp phí, lệ phí"
        default: buttonLabel.lowercased()
        }
    }
}
