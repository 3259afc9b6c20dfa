/// A value a notice template can name, with what it means for the administrator who edits the template.
struct NoticePlaceholder: Sendable, Equatable {
    var name: String
    var meaning: String
    /// What the preview and the SMS length check put here when no real dossier is chosen: realistic and long.
    var sample: String

    static let applicantName = NoticePlaceholder(name: "nguoi_nop", meaning: "Họ và tên người nộp hồ sơ", sample: "Nguyễn Thị Thu Hương")
    static let code = NoticePlaceholder(name: "ma_ho_so", meaning: "Mã hồ sơ", sample: "000.00.12.H57-261207-0123")
    static let procedure = NoticePlaceholder(
        name: "thu_tuc", meaning: "Tên thủ tục hành chính",
        sample: "Thủ tục thẩm định việc thành lập đơn vị sự nghiệp công lập")
    static let agency = NoticePlaceholder(name: "co_quan", meaning: "Cơ quan giải quyết hồ sơ", sample: "Sở Nội vụ tỉnh Thừa Thiên Huế")
    static let status = NoticePlaceholder(name: "trang_thai", meaning: "Trạng thái hồ sơ sau bước này", sample: "Đã tiếp nhận")
    static let dueDate = NoticePlaceholder(name: "ngay_hen", meaning: "Ngày hẹn trả kết quả", sample: "21/12/2026 16:30")
    static let reason = NoticePlaceholder(
        name: "ly_do", meaning: "Lý do hoặc nội dung cán bộ ghi ở bước này",
        sample: "Bổ sung bản sao quyết định thành lập có chứng thực")
    static let deliveryMethod = NoticePlaceholder(name: "hinh_thuc_nhan", meaning: "Hình thức nhận kết quả", sample: "Qua dịch vụ bưu chính công ích")
    static let dossierURL = NoticePlaceholder(
        name: "duong_dan_ho_so", meaning: "Đường dẫn trang hồ sơ của người nộp", sample: "https://dichvucong.example.gov.vn/ho-so/123456")
    static let lookupURL = NoticePlaceholder(
        name: "duong_dan_tra_cuu", meaning: "Đường dẫn tra cứu công khai",
        sample: "https://dichvucong.example.gov.vn/tra-cuu?ma=000.00.12.H57-261207-0123")
    static let fee = NoticePlaceholder(
        name: "phi_phai_nop", meaning: "Phí, lệ phí phải nộp và nội dung thu", sample: "100.000 đ (Phí dự thi nâng ngạch công chức)")
    static let recipientName = NoticePlaceholder(name: "nguoi_nhan", meaning: "Họ và tên cán bộ nhận thông báo", sample: "Trần Văn Bình")
    static let deadline = NoticePlaceholder(name: "han", meaning: "Hạn của bước hoặc của hồ sơ", sample: "21/12/2026 16:30")
    static let staffURL = NoticePlaceholder(
        name: "duong_dan_xu_ly", meaning: "Đường dẫn hồ sơ trong trang một cửa", sample: "https://dichvucong.example.gov.vn/mot-cua/ho-so/123456")

    static let accountName = NoticePlaceholder(name: "ho_ten", meaning: "Họ và tên chủ tài khoản", sample: "Nguyễn Thị Thu Hương")
    static let link = NoticePlaceholder(
        name: "duong_dan", meaning: "Đường dẫn dùng một lần trong thư (xác thực địa chỉ, đặt lại mật khẩu)",
        sample: "https://dichvucong.example.gov.vn/xac-thuc-email?ma=Q2hpIGTDuW5nIG3hu5l0IGzhuqduIGR1eSBuaOG6pXQ")
    static let forgotPasswordURL = NoticePlaceholder(
        name: "duong_dan_quen_mat_khau", meaning: "Đường dẫn trang quên mật khẩu",
        sample: "https://dichvucong.example.gov.vn/quen-mat-khau")

    static let forApplicant: [NoticePlaceholder] = [
        applicantName, code, procedure, agency, status, dueDate, reason, deliveryMethod, dossierURL, lookupURL, fee,
    ]
    static let forStaff: [NoticePlaceholder] = [recipientName, code, procedure, deadline, staffURL]
}
