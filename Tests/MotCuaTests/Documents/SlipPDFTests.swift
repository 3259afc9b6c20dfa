import Foundation
import Testing

@testable import MotCua

@Suite("Slip PDFs")
struct SlipPDFTests {
    static let fonts = Result { try PDFFonts.bundled() }
    static let lookupURL = "https://dichvucong.example.gov.vn/tra-cuu?ma=000.00.08.H06-261209-0001"
    /// 9 December 2026, 10:30 and 16 December 2026, 10:30 in Vietnam.
    static let received: Int64 = 1_796_787_000_000
    static let due: Int64 = 1_797_391_800_000

    static var heading: SlipHeading {
        SlipHeading(agencyName: "UBND phường Ba Đình", place: "Hà Nội", slipNumber: "125/TNHS",
                    dossierCode: "000.00.08.H06-261209-0001", issuedAt: received, layoutVersion: "01/2018-v1",
                    lookupURL: lookupURL)
    }

    static var receipt: ReceiptSlip {
        ReceiptSlip(
            heading: heading, applicantName: "Nguyễn Thị Hồng Nhung",
            applicantAddress: "Số 12 ngõ 34 phố Đội Cấn, phường Ba Đình, thành phố Hà Nội",
            applicantPhone: "0912345678", applicantEmail: "nhung.nguyen@example.vn",
            procedureName: "Đăng ký khai sinh",
            documents: [
                ReceivedDocument(name: "Tờ khai đăng ký khai sinh theo mẫu", form: "Bản chính", count: 1),
                ReceivedDocument(name: "Giấy chứng sinh do cơ sở y tế cấp", form: "Bản chính", count: 1),
                ReceivedDocument(name: "Giấy chứng nhận kết hôn của cha, mẹ", form: "Bản sao chứng thực", count: 1),
                ReceivedDocument(name: "Căn cước công dân của người đi đăng ký", form: "Bản sao", count: 2),
            ],
            numberOfSets: 1, processingDays: 5, receivedAt: received, dueAt: due,
            resultCollectedAt: "Bộ phận tiếp nhận và trả kết quả UBND phường Ba Đình",
            trackingBookEntry: "Quyển số 01, số thứ tự 125", receiverName: "Trần Văn Bình")
    }

    static func renderer() throws -> SlipRenderer { SlipRenderer(fonts: try fonts.get()) }

    /// Tool output with each run of spaces as one space (pdfinfo and pdffonts pad their columns).
    static func collapsed(_ text: String) -> String {
        text.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }.joined(separator: "\n")
    }

    @Test("Slip 01 renders deterministically, under 150 KB")
    func deterministicAndSmall() throws {
        let first = try Self.renderer().receipt(Self.receipt)
        let second = try Self.renderer().receipt(Self.receipt)
        #expect(first == second)
        #expect(first.count < 150_000, "\(first.count) bytes")
        #expect(String(decoding: first.prefix(8), as: UTF8.self) == "%PDF-1.7")
        var changed = Self.receipt
        changed.applicantName = "Lê Văn Tám"
        #expect(try Self.renderer().receipt(changed) != first)
    }

    @Test("pdftotext finds the applicant's name with its diacritics, the code and the title of slip 01",
          .enabled(if: ExternalTool.has("pdftotext"), "pdftotext is missing: apt-get install poppler-utils (scripts/test does)"))
    func textSurvives() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = try scratch.write(try Self.renderer().receipt(Self.receipt), to: "01.pdf")
        let result = try ExternalTool.run("pdftotext", ["-layout", path, "-"])
        #expect(result.status == 0, "\(result.errors)")
        let text = result.output.precomposedStringWithCanonicalMapping
        for expected in ["Nguyễn Thị Hồng Nhung", "000.00.08.H06-261209-0001", "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
                         "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc", "Tra cứu hồ sơ",
                         "Giấy chứng nhận kết hôn của cha, mẹ", "Bản sao chứng", "Đăng ký khai sinh",
                         "10 giờ 30 phút, ngày 09 tháng 12 năm 2026", "10 giờ 30 phút, ngày 16 tháng 12 năm 2026",
                         "Số: 125/TNHS", "01/2018-v1", "Trần Văn Bình", "UBND PHƯỜNG BA ĐÌNH"] {
            #expect(text.contains(expected), "missing \(expected) in:\n\(text)")
        }
    }

    @Test("pdfinfo reports one A5 page, and qpdf --check finds no error",
          .enabled(if: ExternalTool.has("pdfinfo", "qpdf"), "pdfinfo or qpdf is missing: apt-get install poppler-utils qpdf (scripts/test does)"))
    func wellFormedA5() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = try scratch.write(try Self.renderer().receipt(Self.receipt), to: "01.pdf")
        let info = try ExternalTool.run("pdfinfo", [path])
        #expect(info.status == 0 && info.errors.isEmpty, "\(info.errors)")
        let summary = Self.collapsed(info.output)
        #expect(summary.contains("Pages: 1"), "\(info.output)")
        // A5 is 148 × 210 mm; pdfinfo names only sizes within 1 pt of the ISO-theoretic ones, so A5 gets no "(A5)".
        #expect(summary.contains("Page size: 419.53 x 595.28 pts"), "\(info.output)")
        #expect(summary.contains("PDF version: 1.7"), "\(info.output)")
        let check = try ExternalTool.run("qpdf", ["--check", path])
        #expect(check.status == 0, "\(check.output)\n\(check.errors)")
        #expect(check.output.contains("No syntax or stream encoding errors found"), "\(check.output)")
        let fonts = try ExternalTool.run("pdffonts", [path])
        // Both weights embedded as subsets of CID TrueType fonts with a ToUnicode map ("emb sub uni": yes yes yes).
        let lines = fonts.output.split(separator: "\n").map { Self.collapsed(String($0)) }.filter { $0.contains("DejaVuSans") }
        #expect(lines.count == 2 && lines.allSatisfy { $0.contains("CID TrueType Identity-H yes yes yes") },
                "\(fonts.output)")
    }

    @Test("The QR code on the rendered slip 01 decodes to the lookup URL (pdftoppm + zbarimg)",
          .enabled(if: ExternalTool.has("pdftoppm", "zbarimg"), "pdftoppm or zbarimg is missing: apt-get install poppler-utils zbar-tools (scripts/test does)"))
    func qrOnThePage() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = try scratch.write(try Self.renderer().receipt(Self.receipt), to: "01.pdf")
        let render = try ExternalTool.run("pdftoppm", ["-r", "150", "-png", "-singlefile", path, scratch.file("page")])
        #expect(render.status == 0, "\(render.errors)")
        let decoded = try ExternalTool.run("zbarimg", ["--raw", "-q", scratch.file("page.png")])
        #expect(decoded.status == 0, "\(decoded.errors)")
        #expect(decoded.output.trimmingCharacters(in: .newlines) == Self.lookupURL)
    }

    @Test("Slips 02–05 render their titles and contents; 05 is A4 and keeps one row per hand-over",
          .enabled(if: ExternalTool.has("pdftotext", "pdfinfo", "qpdf"), "poppler-utils or qpdf is missing (scripts/test installs them)"))
    func otherSlips() throws {
        let renderer = try Self.renderer()
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let slips: [(String, [UInt8], [String], String)] = [
            ("02", try renderer.supplementRequest(SupplementRequestSlip(
                heading: Self.heading, applicantName: "Nguyễn Thị Hồng Nhung", procedureName: "Đăng ký khai sinh",
                receivedAt: Self.received, items: ["Bản sao giấy chứng nhận kết hôn có chứng thực", "Ảnh chân dung 4×6"],
                officerName: "Trần Văn Bình")),
             ["PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Bản sao giấy chứng nhận kết hôn có chứng thực", "Ảnh chân dung 4×6"], "419.53 x 595.28 pts"),
            ("03", try renderer.refusal(RefusalSlip(
                heading: Self.heading, applicantName: "Nguyễn Thị Hồng Nhung", procedureName: "Đăng ký khai sinh",
                receivedAt: Self.received, reason: "Hồ sơ không thuộc thẩm quyền giải quyết của phường", officerName: "Trần Văn Bình")),
             ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "không thuộc thẩm quyền giải quyết của phường"], "419.53 x 595.28 pts"),
            ("04", try renderer.apology(ApologySlip(
                heading: Self.heading, applicantName: "Nguyễn Thị Hồng Nhung", procedureName: "Đăng ký khai sinh",
                receivedAt: Self.received, originalDueAt: Self.due, newDueAt: Self.due + 2 * 86_400_000,
                reason: "Cần xác minh thêm thông tin hộ tịch", signerName: "Phạm Thu Hà")),
             ["PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", "Cần xác minh thêm thông tin hộ tịch", "ngày 18 tháng 12 năm 2026"], "419.53 x 595.28 pts"),
            ("05", try renderer.control(ControlSlip(
                heading: Self.heading, applicantName: "Nguyễn Thị Hồng Nhung", procedureName: "Đăng ký khai sinh",
                receivedAt: Self.received, dueAt: Self.due,
                steps: [
                    ControlStep(fromUnit: "Bộ phận một cửa", fromPerson: "Trần Văn Bình", toUnit: "Công chức tư pháp – hộ tịch",
                                toPerson: "Lê Thị Mai", handedAt: Self.received + 3_600_000, timeliness: .early),
                    ControlStep(fromUnit: "Công chức tư pháp – hộ tịch", fromPerson: "Lê Thị Mai", toUnit: "Lãnh đạo UBND",
                                toPerson: "Phạm Thu Hà", handedAt: Self.received + 86_400_000, timeliness: .late, note: "Chờ xác minh"),
                ])),
             ["PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Công chức tư pháp", "Lê Thị Mai", "Trước hạn", "Trễ hạn", "Chờ xác minh"], "595.28 x 841.89 pts (A4)"),
        ]
        for (form, bytes, expected, paper) in slips {
            let path = try scratch.write(bytes, to: "\(form).pdf")
            let text = try ExternalTool.run("pdftotext", ["-layout", path, "-"]).output.precomposedStringWithCanonicalMapping
            for needle in expected + ["Nguyễn Thị Hồng Nhung", "Mẫu số \(form)"] {
                #expect(text.contains(needle), "slip \(form) misses \(needle) in:\n\(text)")
            }
            let info = Self.collapsed(try ExternalTool.run("pdfinfo", [path]).output)
            #expect(info.contains("Page size: " + paper) && info.contains("Pages: 1"), "slip \(form): \(info)")
            #expect(try ExternalTool.run("qpdf", ["--check", path]).status == 0, "slip \(form)")
        }
    }

    @Test("A long document list flows onto a second page with the table header repeated")
    func pageBreak() throws {
        var slip = Self.receipt
        slip.documents = (1...40).map { ReceivedDocument(name: "Giấy tờ kèm theo số \($0)", form: "Bản sao", count: 1) }
        let bytes = try Self.renderer().receipt(slip)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("/Count 2") || text.contains("/Count 3"))
    }
}
