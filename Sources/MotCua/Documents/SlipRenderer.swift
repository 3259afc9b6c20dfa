// Renders the standard slips 01–05 as PDF bytes from plain values (SlipModels.swift). Independent of the
// database: the dossier life cycle calls these at the moment of the step and keeps the bytes with the dossier,
// so a slip never changes afterwards, whatever later layout versions look like.

public struct SlipRenderer: Sendable {
    let fonts: PDFFonts

    public init(fonts: PDFFonts) {
        self.fonts = fonts
    }

    /// Form 01, A5: receipt and appointment.
    public func receipt(_ slip: ReceiptSlip) throws -> [UInt8] {
        let pdf = PDFWriter(fonts: fonts, title: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả – \(slip.heading.dossierCode)")
        let layout = SlipLayout(pdf: pdf, heading: slip.heading, form: "01", pageSize: .a5Portrait, bodySize: 8)
        layout.startPage()
        try layout.qrCode()
        layout.header()
        layout.title("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", subtitle: "Mã hồ sơ: \(slip.heading.dossierCode)")
        layout.line(slip.applicantName, label: "Tiếp nhận hồ sơ của:")
        layout.line(slip.applicantAddress, label: "Địa chỉ:")
        layout.line("\(slip.applicantPhone)    Thư điện tử: \(slip.applicantEmail)", label: "Số điện thoại:")
        layout.line(slip.procedureName, label: "Nội dung yêu cầu giải quyết:")
        layout.line("1. Thành phần hồ sơ nộp gồm:")
        layout.table(
            columns: [("TT", 0.08, .center), ("Tên giấy tờ", 0.58, .left), ("Hình thức", 0.2, .center), ("Số lượng", 0.14, .center)],
            rows: slip.documents.enumerated().map { ["\($0.offset + 1)", $0.element.name, $0.element.form, "\($0.element.count)"] })
        layout.line("\(slip.numberOfSets) bộ", label: "2. Số lượng hồ sơ:")
        layout.line("\(slip.processingDays) ngày làm việc", label: "3. Thời gian giải quyết hồ sơ theo quy định:")
        layout.line(SlipDate.moment(slip.receivedAt), label: "4. Thời gian nhận hồ sơ:")
        layout.line(SlipDate.moment(slip.dueAt), label: "5. Thời gian trả kết quả giải quyết hồ sơ:")
        layout.line(slip.resultCollectedAt, label: "6. Đăng ký nhận kết quả tại:")
        if let entry = slip.trackingBookEntry {
            layout.line(entry, label: "Vào Sổ theo dõi hồ sơ:")
        }
        layout.y += layout.lineHeight * 0.4
        layout.signatures([("NGƯỜI NỘP HỒ SƠ", slip.applicantName), ("NGƯỜI TIẾP NHẬN HỒ SƠ", slip.receiverName)])
        return pdf.finish()
    }

    /// Form 02, A5: what the applicant must add or correct.
    public func supplementRequest(_ slip: SupplementRequestSlip) throws -> [UInt8] {
        try notice(heading: slip.heading, form: "02", title: "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ") { layout in
            layout.line("Bộ phận tiếp nhận và trả kết quả đã nhận hồ sơ của: \(slip.applicantName)")
            layout.line(slip.procedureName, label: "Nội dung yêu cầu giải quyết:")
            layout.line(SlipDate.moment(slip.receivedAt), label: "Thời gian nhận hồ sơ:")
            layout.line("Qua xem xét, hồ sơ chưa đầy đủ, hợp lệ. Đề nghị ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:")
            for (index, item) in slip.items.enumerated() {
                layout.line(item, label: "\(index + 1).", indent: 8)
            }
            layout.line("Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ bộ phận tiếp nhận để được hướng dẫn.")
            layout.y += layout.lineHeight * 0.4
            layout.signatures([("", ""), ("NGƯỜI HƯỚNG DẪN", slip.officerName)])
        }
    }

    /// Form 03, A5: refusal with its reason.
    public func refusal(_ slip: RefusalSlip) throws -> [UInt8] {
        try notice(heading: slip.heading, form: "03", title: "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ") { layout in
            layout.line("Bộ phận tiếp nhận và trả kết quả đã nhận hồ sơ của: \(slip.applicantName)")
            layout.line(slip.procedureName, label: "Nội dung yêu cầu giải quyết:")
            layout.line(SlipDate.moment(slip.receivedAt), label: "Thời gian nhận hồ sơ:")
            layout.line("Căn cứ quy định, cơ quan không tiếp nhận, giải quyết hồ sơ này với lý do:")
            layout.line(slip.reason, indent: 8)
            layout.line("Xin thông báo để ông/bà được biết và thực hiện.")
            layout.y += layout.lineHeight * 0.4
            layout.signatures([("", ""), ("NGƯỜI TIẾP NHẬN HỒ SƠ", slip.officerName)])
        }
    }

    /// Form 04, A5: apology and the new appointment date.
    public func apology(_ slip: ApologySlip) throws -> [UInt8] {
        try notice(heading: slip.heading, form: "04", title: "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ") { layout in
            layout.line("\(slip.heading.agencyName) xin gửi lời xin lỗi tới ông/bà \(slip.applicantName).")
            layout.line(slip.procedureName, label: "Hồ sơ đề nghị giải quyết:")
            layout.line(SlipDate.moment(slip.receivedAt), label: "Tiếp nhận lúc:")
            layout.line(SlipDate.moment(slip.originalDueAt), label: "Hẹn trả kết quả lúc:")
            layout.line(slip.reason, label: "Đến nay chưa giải quyết xong, lý do:")
            layout.line(SlipDate.moment(slip.newDueAt), label: "Xin hẹn lại thời gian trả kết quả:")
            layout.line("Mong ông/bà thông cảm cho sự chậm trễ này.")
            layout.y += layout.lineHeight * 0.4
            layout.signatures([("", ""), (slip.signerTitle, slip.signerName)])
        }
    }

    /// Form 05, A4: the hand-overs between units and whether each was early, on time or late.
    public func control(_ slip: ControlSlip) throws -> [UInt8] {
        let size: PDFPageSize = slip.landscape ? .a4Landscape : .a4Portrait
        return try notice(heading: slip.heading, form: "05", title: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", pageSize: size, bodySize: 9.5) { layout in
            layout.line("\(slip.applicantName)", label: "Kèm theo hồ sơ của:")
            layout.line(slip.procedureName, label: "Nội dung yêu cầu giải quyết:")
            layout.line(SlipDate.moment(slip.receivedAt), label: "Thời gian nhận hồ sơ:")
            layout.line(SlipDate.moment(slip.dueAt), label: "Thời gian hẹn trả kết quả:")
            layout.table(
                columns: [("TT", 0.06, .center), ("Bên giao", 0.25, .left), ("Bên nhận", 0.25, .left),
                          ("Thời gian giao, nhận", 0.15, .center), ("Kết quả", 0.12, .center), ("Ghi chú", 0.17, .left)],
                rows: slip.steps.enumerated().map { index, step in
                    ["\(index + 1)", "\(step.fromUnit)\n\(step.fromPerson)", "\(step.toUnit)\n\(step.toPerson)",
                     SlipDate.short(step.handedAt), step.timeliness?.label ?? "", step.note]
                })
            layout.line("Kết quả: trước hạn, đúng hạn hoặc quá hạn so với thời hạn của từng bước.")
        }
    }

    private func notice(heading: SlipHeading, form: String, title: String, pageSize: PDFPageSize = .a5Portrait, bodySize: Double = 8,
                        body: (SlipLayout) throws -> Void) throws -> [UInt8] {
        let pdf = PDFWriter(fonts: fonts, title: String(title.prefix(1)) + title.dropFirst().lowercased() + " – " + heading.dossierCode)
        let layout = SlipLayout(pdf: pdf, heading: heading, form: form, pageSize: pageSize, bodySize: bodySize)
        layout.startPage()
        try layout.qrCode()
        layout.header()
        layout.title(title, subtitle: "Mã hồ sơ: \(heading.dossierCode)")
        try body(layout)
        return pdf.finish()
    }
}
