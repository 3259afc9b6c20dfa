// The parts every slip shares: the agency and national headers, the title, numbered lines, signature blocks,
// the QR code of the lookup URL in the bottom-left corner with "Tra cứu hồ sơ" under it, and the footer with
// the form number and layout version. A cursor goes down the page and starts a new one when the next block
// would run into the footer band.

final class SlipLayout {
    let pdf: PDFWriter
    let heading: SlipHeading
    let form: String
    let pageSize: PDFPageSize
    let margin: Double
    let bodySize: Double
    /// Baseline of the next line.
    var y: Double = 0

    init(pdf: PDFWriter, heading: SlipHeading, form: String, pageSize: PDFPageSize, bodySize: Double) {
        self.pdf = pdf
        self.heading = heading
        self.form = form
        self.pageSize = pageSize
        self.margin = pageSize == .a5Portrait ? 24 : 42
        self.bodySize = bodySize
    }

    var width: Double { pageSize.dimensions.width - 2 * margin }
    var lineHeight: Double { bodySize * 1.4 }
    /// The side of the QR code; a quiet zone of four modules is left around it.
    var qrSide: Double { pageSize == .a5Portrait ? 58 : 72 }
    /// Where content must stop: above the QR code's band on the first page, above the footer after.
    var bottom: Double {
        pageSize.dimensions.height - margin - 12 - (pdf.pageCount == 1 ? qrSide + 22 : 0)
    }

    func startPage() {
        pdf.beginPage(pageSize)
        y = margin + bodySize
        footer()
    }

    func ensureSpace(_ height: Double) {
        if y + height > bottom { startPage() }
    }

    /// The agency on the left, the national motto on the right, the number and the place and date under them.
    func header() {
        let left = width * 0.46, right = width - left
        let size = bodySize
        var leftY = y
        for line in pdf.wrap(heading.agencyName.uppercased(), width: left, size: size, weight: .regular) {
            pdf.text(line, x: margin, width: left, y: leftY, size: size, alignment: .center)
            leftY += size * 1.25
        }
        if let unit = heading.unitName {
            for line in pdf.wrap(unit.uppercased(), width: left, size: size * 0.92, weight: .bold) {
                pdf.text(line, x: margin, width: left, y: leftY, size: size * 0.92, weight: .bold, alignment: .center)
                leftY += size * 1.25
            }
        }
        pdf.line(from: (margin + left * 0.3, leftY - size * 0.8), to: (margin + left * 0.7, leftY - size * 0.8))
        leftY += size * 0.6
        pdf.text("Số: \(heading.slipNumber)", x: margin, width: left, y: leftY, size: size, alignment: .center)

        var rightY = y
        let mottoX = margin + left
        pdf.text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", x: mottoX, width: right, y: rightY, size: size * 0.95, weight: .bold, alignment: .center)
        rightY += size * 1.25
        let motto = "Độc lập – Tự do – Hạnh phúc"
        pdf.text(motto, x: mottoX, width: right, y: rightY, size: size, weight: .bold, alignment: .center)
        let mottoWidth = pdf.textWidth(motto, size: size, weight: .bold)
        pdf.line(from: (mottoX + (right - mottoWidth) / 2, rightY + 2.5), to: (mottoX + (right + mottoWidth) / 2, rightY + 2.5))
        rightY += size * 1.85
        pdf.text("\(heading.place), \(SlipDate.day(heading.issuedAt))", x: mottoX, width: right, y: rightY, size: size, alignment: .center)
        y = max(leftY, rightY) + lineHeight * 1.6
    }

    func title(_ text: String, subtitle: String? = nil) {
        y = pdf.paragraph(text, x: margin, y: y, width: width, size: bodySize * 1.3, weight: .bold, alignment: .center,
                          lineHeight: bodySize * 1.7)
        if let subtitle {
            y = pdf.paragraph(subtitle, x: margin, y: y, width: width, size: bodySize, alignment: .center)
        }
        y += lineHeight * 0.5
    }

    /// A line of text, wrapped; `label` in bold before it when given.
    func line(_ text: String, label: String? = nil, indent: Double = 0) {
        let full = (label.map { $0 + " " } ?? "") + text
        let lines = pdf.wrap(full, width: width - indent, size: bodySize)
        ensureSpace(Double(lines.count) * lineHeight)
        for (index, content) in lines.enumerated() {
            if index == 0, let label, content.hasPrefix(label) {
                pdf.text(label, x: margin + indent, y: y, size: bodySize, weight: .bold)
                let rest = String(content.dropFirst(label.count))
                pdf.text(rest, x: margin + indent + pdf.textWidth(label, size: bodySize, weight: .bold), y: y, size: bodySize)
            } else {
                pdf.text(content, x: margin + indent, y: y, size: bodySize)
            }
            y += lineHeight
        }
    }

    /// A table: a bold header row, then the rows, repeating the header after a page break.
    func table(columns: [(title: String, share: Double, alignment: PDFTextAlignment)], rows: [[String]], size: Double? = nil) {
        let size = size ?? bodySize * 0.95
        let total = columns.reduce(0) { $0 + $1.share }
        let widths = columns.map { width * $0.share / total }
        let headerCells = zip(columns, widths).map { TableCell($0.title, width: $1, weight: .bold, alignment: .center) }
        var top = y - bodySize * 0.55
        func drawHeader() {
            top += pdf.tableRow(headerCells, x: margin, y: top, size: size)
        }
        if top + pdf.tableRowHeight(headerCells, size: size) * 2 > bottom { startPage(); top = y - bodySize * 0.55 }
        drawHeader()
        for row in rows {
            let cells = zip(zip(columns, widths), row).map { TableCell($1, width: $0.1, alignment: $0.0.alignment) }
            if top + pdf.tableRowHeight(cells, size: size) > bottom {
                startPage()
                top = y - bodySize * 0.55
                drawHeader()
            }
            top += pdf.tableRow(cells, x: margin, y: top, size: size)
        }
        y = top + bodySize + lineHeight * 0.6
    }

    /// Signature blocks side by side: title, "(Ký và ghi rõ họ tên)", room to sign, the name.
    func signatures(_ blocks: [(title: String, name: String)]) {
        let height = lineHeight * 2 + 42 + lineHeight
        ensureSpace(height)
        let column = width / Double(blocks.count)
        // An empty title leaves its column blank (a slip signed by the officer alone keeps the right column).
        for (index, block) in blocks.enumerated() where !block.title.isEmpty {
            let x = margin + column * Double(index)
            pdf.text(block.title, x: x, width: column, y: y, size: bodySize, weight: .bold, alignment: .center)
            pdf.text("(Ký và ghi rõ họ tên)", x: x, width: column, y: y + lineHeight, size: bodySize * 0.9, alignment: .center)
            pdf.text(block.name, x: x, width: column, y: y + lineHeight * 2 + 42, size: bodySize, weight: .bold, alignment: .center)
        }
        y += height
    }

    /// The QR code of the lookup URL in the bottom-left corner of the first page.
    func qrCode() throws {
        let code = try QRCode(text: heading.lookupURL, errorCorrection: .medium)
        let height = pageSize.dimensions.height
        let top = height - margin - 12 - qrSide - 10
        // The margin and the white page around the box give more than the four-module quiet zone.
        pdf.qrCode(code, x: margin, y: top, side: qrSide)
        pdf.text("Tra cứu hồ sơ", x: margin - 10, width: qrSide + 20, y: top + qrSide + 9, size: bodySize * 0.85, alignment: .center)
    }

    private func footer() {
        let height = pageSize.dimensions.height
        let size = bodySize * 0.75
        let text = "Mẫu số \(form) · Mã hồ sơ \(heading.dossierCode) · Mẫu in phiên bản \(heading.layoutVersion)"
            + (pdf.pageCount > 1 ? " · Trang \(pdf.pageCount)" : "")
        pdf.line(from: (margin, height - margin - size * 1.4), to: (margin + width, height - margin - size * 1.4), width: 0.3)
        pdf.text(text, x: margin, width: width, y: height - margin, size: size, alignment: .right)
    }
}

/// Vietnamese dates and times of slips, in Vietnam time (UTC+7 all year).
enum SlipDate {
    private static func parts(_ milliseconds: Int64) -> (date: CivilDate, hour: Int, minute: Int) {
        let seconds = Int(milliseconds.dividedRoundingDown(by: 1000)) + 7 * 3600
        let days = seconds.dividedRoundingDown(by: 86_400)
        let secondOfDay = seconds - days * 86_400
        return (CivilDate(julianDay: 2_440_588 + days), secondOfDay / 3600, secondOfDay % 3600 / 60)
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    /// "ngày 09 tháng 12 năm 2026".
    static func day(_ milliseconds: Int64) -> String {
        let date = parts(milliseconds).date
        return "ngày \(pad(date.day)) tháng \(pad(date.month)) năm \(date.year)"
    }

    /// "10 giờ 30 phút, ngày 09 tháng 12 năm 2026".
    static func moment(_ milliseconds: Int64) -> String {
        let (_, hour, minute) = parts(milliseconds)
        return "\(pad(hour)) giờ \(pad(minute)) phút, \(day(milliseconds))"
    }

    /// "09/12/2026 10:30", for tables.
    static func short(_ milliseconds: Int64) -> String {
        let (date, hour, minute) = parts(milliseconds)
        return "\(pad(date.day))/\(pad(date.month))/\(date.year) \(pad(hour)):\(pad(minute))"
    }
}
