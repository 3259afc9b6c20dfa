import Foundation

/// The mail the applicant gets after a step of the back office (SPEC: "the applicant is told by email").
enum ApplicantMail {
    /// The acknowledgement of a submitted dossier, with its code.
    static func submitted(_ dossier: Dossier, to applicant: User, publicURL: String) -> OutgoingMail? {
        guard let email = applicant.noticeEmail else { return nil }
        let code = dossier.code ?? ""
        return OutgoingMail(
            to: email, subject: "Đã nhận hồ sơ \(code) – Cổng dịch vụ công MotCua",
            body: """
                Xin chào \(applicant.displayName),

                Hồ sơ "\(dossier.procedureName)" gửi \(dossier.agencyName) đã được đăng ký với mã hồ sơ \(code).
                Bộ phận tiếp nhận sẽ kiểm tra và thông báo cho bạn việc tiếp nhận, yêu cầu bổ sung hoặc từ chối.

                Tra cứu tình trạng hồ sơ: \(publicURL)/tra-cuu?ma=\(code)

                Cổng dịch vụ công MotCua
                """)
    }

    /// The notice of a back-office step, or nil for steps the applicant is not told about.
    static func about(_ action: DossierAction, dossier: Dossier, to applicant: User, note: String, publicURL: String) -> OutgoingMail? {
        let code = dossier.code ?? ""
        let what: String
        switch action {
        case .accept:
            let due = dossier.dueAt.map(VietnameseFormat.dateTime) ?? "—"
            what = "Hồ sơ đã được tiếp nhận. Ngày hẹn trả kết quả: \(due)."
        case .refuse:
            what = "Hồ sơ không được tiếp nhận. Lý do: \(note)"
        case .requestSupplement:
            what = "Hồ sơ cần bổ sung, hoàn thiện như sau:\n\(note)\n\nVui lòng đăng nhập, bổ sung hồ sơ và gửi lại."
        case .stop:
            what = "Cơ quan đã dừng xử lý hồ sơ. Lý do: \(note)"
        case .finish:
            what = dossier.deliveryMethod == .online
                ? "Hồ sơ đã có kết quả. Bạn có thể tải kết quả trên trang hồ sơ."
                : "Hồ sơ đã có kết quả và sẽ được trả theo cách bạn đã chọn (\(dossier.deliveryMethod?.label ?? ""))."
        case .returnResult:
            what = "Kết quả giải quyết hồ sơ đã được trả."
        case .apologize:
            let due = dossier.dueAt.map(VietnameseFormat.dateTime) ?? "—"
            what = "Cơ quan xin lỗi vì chưa trả kết quả đúng hẹn. Lý do: \(note)\nNgày hẹn trả kết quả mới: \(due)."
        default:
            return nil
        }
        let subject = "Hồ sơ \(code): \(dossier.status.label) – Cổng dịch vụ công MotCua"
        let body = """
            Xin chào \(applicant.displayName),

            Hồ sơ \(code) "\(dossier.procedureName)" tại \(dossier.agencyName):
            \(what)

            Xem hồ sơ: \(publicURL)/ho-so/\(dossier.id)
            Tra cứu công khai: \(publicURL)/tra-cuu?ma=\(code)

            Cổng dịch vụ công MotCua
            """
        guard let email = applicant.noticeEmail else { return nil }
        return OutgoingMail(to: email, subject: subject, body: body)
    }
}
