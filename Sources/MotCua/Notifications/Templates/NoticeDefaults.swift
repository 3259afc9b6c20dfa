/// The Vietnamese texts shipped with the portal, used until the system administrator edits a notice.
enum NoticeDefaults {
    static func template(_ kind: NoticeKind) -> NoticeTemplate {
        if kind.forStaff { return staff(kind) }
        if kind.forAccount { return account(kind) }
        return NoticeTemplate(
            mailSubject: kind == .submitted
                ? "Đã nhận hồ sơ {{ma_ho_so}} – Cổng dịch vụ công MotCua"
                : "Hồ sơ {{ma_ho_so}}: {{trang_thai}} – Cổng dịch vụ công MotCua",
            mailBody: """
                Xin chào {{nguoi_nop}},

                Hồ sơ {{ma_ho_so}} "{{thu_tuc}}" tại {{co_quan}}:
                \(what(kind))

                Xem hồ sơ: {{duong_dan_ho_so}}
                Tra cứu công khai: {{duong_dan_tra_cuu}}

                Cổng dịch vụ công MotCua
                """,
            smsText: sms(kind))
    }

    private static func what(_ kind: NoticeKind) -> String {
        switch kind {
        case .submitted:
            "Hồ sơ đã được đăng ký với mã hồ sơ {{ma_ho_so}}.\n"
                + "Bộ phận tiếp nhận sẽ kiểm tra và thông báo cho bạn việc tiếp nhận, yêu cầu bổ sung hoặc từ chối."
        case .feeRequested:
            "Hồ sơ cần nộp phí, lệ phí: {{phi_phai_nop}}.\n"
                + "Vui lòng nộp trực tuyến hoặc chuyển khoản theo hướng dẫn tại trang hồ sơ; hồ sơ được chuyển tới bộ phận tiếp nhận khi đã nộp."
        case .paid: "Cơ quan đã nhận phí, lệ phí của hồ sơ; biên lai có tại trang hồ sơ. Hồ sơ đang chờ tiếp nhận."
        case .accepted: "Hồ sơ đã được tiếp nhận. Ngày hẹn trả kết quả: {{ngay_hen}}."
        case .refused: "Hồ sơ không được tiếp nhận. Lý do: {{ly_do}}"
        case .supplementRequested:
            "Hồ sơ cần bổ sung, hoàn thiện như sau:\n{{ly_do}}\n\nVui lòng đăng nhập, bổ sung hồ sơ và gửi lại."
        case .stopped: "Cơ quan đã dừng xử lý hồ sơ. Lý do: {{ly_do}}"
        case .finished: "Hồ sơ đã có kết quả. Hình thức nhận kết quả: {{hinh_thuc_nhan}}."
        case .returned: "Kết quả giải quyết hồ sơ đã được trả."
        case .apologized:
            "Cơ quan xin lỗi vì chưa trả kết quả đúng hẹn. Lý do: {{ly_do}}\nNgày hẹn trả kết quả mới: {{ngay_hen}}."
        default: ""
        }
    }

    private static func sms(_ kind: NoticeKind) -> String {
        switch kind {
        case .submitted: "MotCua: Đã nhận hồ sơ {{ma_ho_so}}. Tra cứu: {{duong_dan_tra_cuu}}"
        case .feeRequested: "MotCua: Hồ sơ {{ma_ho_so}} cần nộp phí, lệ phí {{phi_phai_nop}}. Xem hướng dẫn: {{duong_dan_ho_so}}"
        case .paid: "MotCua: Đã nhận phí, lệ phí hồ sơ {{ma_ho_so}}. Hồ sơ đang chờ tiếp nhận."
        case .accepted: "MotCua: Hồ sơ {{ma_ho_so}} đã được tiếp nhận, hẹn trả kết quả {{ngay_hen}}."
        case .refused: "MotCua: Hồ sơ {{ma_ho_so}} không được tiếp nhận. Lý do xem trong thư điện tử hoặc trang hồ sơ."
        case .supplementRequested: "MotCua: Hồ sơ {{ma_ho_so}} cần bổ sung, hoàn thiện. Vui lòng xem yêu cầu tại trang hồ sơ."
        case .stopped: "MotCua: Cơ quan đã dừng xử lý hồ sơ {{ma_ho_so}}."
        case .finished: "MotCua: Hồ sơ {{ma_ho_so}} đã có kết quả. Tra cứu: {{duong_dan_tra_cuu}}"
        case .returned: "MotCua: Kết quả hồ sơ {{ma_ho_so}} đã được trả."
        case .apologized: "MotCua: Xin lỗi vì hồ sơ {{ma_ho_so}} chưa có kết quả đúng hẹn. Ngày hẹn mới: {{ngay_hen}}."
        default: ""
        }
    }

    private static func account(_ kind: NoticeKind) -> NoticeTemplate {
        let (subject, body): (String, String) = switch kind {
        case .emailVerification: ("Xác thực địa chỉ thư điện tử – Cổng dịch vụ công MotCua", """
            Xin chào {{ho_ten}},

            Bạn vừa đăng ký tài khoản trên Cổng dịch vụ công MotCua. Vui lòng mở liên kết sau để xác thực địa chỉ thư điện tử (liên kết có hiệu lực trong 24 giờ và chỉ dùng được một lần):

            {{duong_dan}}

            Nếu bạn không đăng ký, hãy bỏ qua thư này.

            Cổng dịch vụ công MotCua
            """)
        case .alreadyRegistered: ("Địa chỉ của bạn đã có tài khoản – Cổng dịch vụ công MotCua", """
            Xin chào,

            Có người vừa dùng địa chỉ thư điện tử này để đăng ký tài khoản trên Cổng dịch vụ công MotCua, nhưng địa chỉ này đã có tài khoản. Không có gì thay đổi.

            Nếu bạn quên mật khẩu, hãy đặt lại tại: {{duong_dan_quen_mat_khau}}

            Cổng dịch vụ công MotCua
            """)
        case .passwordReset: ("Đặt lại mật khẩu – Cổng dịch vụ công MotCua", """
            Xin chào {{ho_ten}},

            Chúng tôi nhận được yêu cầu đặt lại mật khẩu cho tài khoản của bạn. Mở liên kết sau để đặt mật khẩu mới (có hiệu lực trong 1 giờ, dùng một lần):

            {{duong_dan}}

            Nếu bạn không yêu cầu, hãy bỏ qua thư này; mật khẩu của bạn không thay đổi.

            Cổng dịch vụ công MotCua
            """)
        default: ("Mật khẩu của bạn đã được thay đổi – Cổng dịch vụ công MotCua", """
            Xin chào {{ho_ten}},

            Mật khẩu tài khoản của bạn trên Cổng dịch vụ công MotCua vừa được thay đổi, và các phiên đăng nhập khác đã được đăng xuất. Nếu không phải bạn thực hiện, hãy đặt lại mật khẩu ngay tại {{duong_dan_quen_mat_khau}} và liên hệ bộ phận hỗ trợ.

            Cổng dịch vụ công MotCua
            """)
        }
        return NoticeTemplate(mailSubject: subject, mailBody: body, smsText: "")
    }

    private static func staff(_ kind: NoticeKind) -> NoticeTemplate {
        let what = switch kind {
        case .stepDueSoon: "Bước xử lý hồ sơ {{ma_ho_so}} sắp đến hạn"
        case .stepOverdue: "Bước xử lý hồ sơ {{ma_ho_so}} đã quá hạn"
        case .dossierOverdue: "Hồ sơ {{ma_ho_so}} đã quá hạn"
        default: "Hồ sơ {{ma_ho_so}} sắp đến hạn"
        }
        return NoticeTemplate(
            mailSubject: "\(what) ({{han}}) – MotCua",
            mailBody: """
                Xin chào {{nguoi_nhan}},

                \(what): hạn {{han}}.
                Thủ tục: {{thu_tuc}}
                Xem hồ sơ: {{duong_dan_xu_ly}}

                Cổng dịch vụ công MotCua
                """,
            smsText: "")
    }
}
