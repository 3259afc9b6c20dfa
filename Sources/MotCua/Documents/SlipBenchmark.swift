import Foundation

/// Times the slip renderer on typical slips of each form (bench/issue12.sh, `motcua bench-slips`): the real
/// PDF writer with the bundled fonts (subset per slip), the QR code and the layout, in this process, one slip
/// after another. Nothing is stored: this is the renderer's share of a step that issues a slip.
public enum SlipBenchmark {
    public struct Figure: Sendable {
        public var form: String
        public var count: Int
        public var bytes: Int
        public var meanMilliseconds: Double
        public var p50Milliseconds: Double
        public var p95Milliseconds: Double
        public var maxMilliseconds: Double
    }

    /// `count` renders of each form after one warm-up render, and the QR code's SVG of a print page.
    public static func run(count: Int, fonts: PDFFonts) throws -> [Figure] {
        let renderer = SlipRenderer(fonts: fonts)
        var figures: [Figure] = []
        for content in samples() {
            figures.append(try time(form: content.form, count: count) { try content.pdf(renderer).count })
        }
        let url = samples()[0].heading.lookupURL
        figures.append(try time(form: "QR SVG", count: count) {
            try QRCode(text: url, errorCorrection: .medium).svg(label: "Mã QR tra cứu hồ sơ").utf8.count
        })
        return figures
    }

    private static func time(form: String, count: Int, _ work: () throws -> Int) throws -> Figure {
        var bytes = try work()
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for _ in 0..<max(1, count) {
            let start = ContinuousClock.now
            bytes = try work()
            let elapsed = ContinuousClock.now - start
            samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        samples.sort()
        let at = { (share: Double) in samples[min(samples.count - 1, Int(Double(samples.count) * share))] }
        return Figure(form: form, count: samples.count, bytes: bytes, meanMilliseconds: samples.reduce(0, +) / Double(samples.count),
                      p50Milliseconds: at(0.5), p95Milliseconds: at(0.95), maxMilliseconds: samples.last ?? 0)
    }

    /// A slip of each form as a busy desk issues them: a receipt with eight documents, a supplement request of
    /// four items, a refusal, an apology, a control slip of seven hand-overs.
    static func samples() -> [SlipContent] {
        let at: Int64 = 1_796_000_000_000
        let heading = SlipHeading(
            agencyName: "SỞ NỘI VỤ TỈNH BẮC KẠN", place: "Bắc Kạn", slipNumber: "0125/2026", dossierCode: "000.00.08.H06-261206-0125",
            issuedAt: at, layoutVersion: "TT 01/2018/TT-VPCP – bố cục 1",
            lookupURL: "https://dichvucong.backan.gov.vn/tra-cuu?ma=000.00.08.H06-261206-0125")
        let name = "Nguyễn Thị Thu Hằng", procedure = "Thủ tục thi tuyển công chức"
        let documents = (1...8).map {
            ReceivedDocument(name: "Giấy tờ số \($0): bản sao văn bằng, chứng chỉ theo yêu cầu của vị trí dự tuyển", form: "Bản sao", count: 1)
        }
        let steps = (0..<7).map { index in
            ControlStep(fromUnit: index == 0 ? "Người nộp hồ sơ" : "Phòng Công chức, viên chức", fromPerson: "Phạm Văn Chuyên Viên",
                        toUnit: "Lãnh đạo Sở", toPerson: "Đỗ Thị Lãnh Đạo", handedAt: at + Int64(index) * 3_600_000,
                        timeliness: [.early, .onTime, .late][index % 3], note: "Tổng hợp phiếu đăng ký dự tuyển")
        }
        return [
            .receipt(ReceiptSlip(
                heading: heading, applicantName: name, applicantAddress: "Số 7, đường Trường Chinh, phường Đức Xuân, thành phố Bắc Kạn",
                applicantPhone: "0912 345 678", applicantEmail: "hang.nguyen@example.vn", procedureName: procedure, documents: documents,
                numberOfSets: 1, processingDays: 15, receivedAt: at, dueAt: at + 21 * 86_400_000,
                resultCollectedAt: "Qua dịch vụ bưu chính công ích: Số 7, đường Trường Chinh", receiverName: "Lê Thị Tiếp Nhận")),
            .supplementRequest(SupplementRequestSlip(
                heading: heading, applicantName: name, procedureName: procedure, receivedAt: at,
                items: ["Bản sao văn bằng có chứng thực.", "Ảnh chân dung 4x6 chụp trong 6 tháng.", "Phiếu đăng ký có chữ ký.",
                        "Giấy chứng nhận ưu tiên (nếu có)."], officerName: "Lê Thị Tiếp Nhận")),
            .refusal(RefusalSlip(heading: heading, applicantName: name, procedureName: procedure, receivedAt: at,
                                 reason: "Thủ tục không thuộc thẩm quyền giải quyết của Sở Nội vụ.", officerName: "Lê Thị Tiếp Nhận")),
            .apology(ApologySlip(heading: heading, applicantName: name, procedureName: procedure, receivedAt: at, originalDueAt: at + 21 * 86_400_000,
                                 newDueAt: at + 35 * 86_400_000, reason: "Chờ ý kiến thẩm định của Bộ Nội vụ.", signerName: "Đỗ Thị Lãnh Đạo")),
            .control(ControlSlip(heading: heading, applicantName: name, procedureName: procedure, receivedAt: at, dueAt: at + 21 * 86_400_000,
                                 steps: steps)),
        ]
    }
}
