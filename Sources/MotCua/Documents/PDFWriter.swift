// A small PDF 1.7 writer for printed slips: A4 and A5 pages, text in an embedded, subset TrueType font as a
// Type 0 / CIDFontType2 font (Identity-H, CIDToGIDMap Identity, a W array and a ToUnicode CMap, so that text
// extraction gives back Vietnamese with its diacritics), lines, rectangles, table cells and QR codes.
//
// Our own code: no Swift package available to this project writes PDF (see docs/documents.md); Debian's C
// libraries (libharu) would be a run-time install, and Chromium's print-to-PDF is a test tool, never a server
// dependency. Output is deterministic: no timestamp unless one is passed in, objects in a fixed order, subset
// fonts named from their glyphs, so the same input gives the same bytes. Streams are left uncompressed: a
// one-page slip with its two font subsets stays well under 150 KB.
//
// Coordinates are in points from the page's top-left corner, y downwards (the writer flips them); a text's y
// is its baseline.

import Foundation

public enum PDFPageSize: Sendable, Equatable {
    case a4Portrait, a4Landscape, a5Portrait

    /// Width and height in points (1/72 inch): A4 is 210 × 297 mm, A5 148 × 210 mm.
    public var dimensions: (width: Double, height: Double) {
        switch self {
        case .a4Portrait: (595.28, 841.89)
        case .a4Landscape: (841.89, 595.28)
        case .a5Portrait: (419.53, 595.28)
        }
    }
}

public enum PDFTextAlignment: Sendable {
    case left, center, right
}

public final class PDFWriter {
    private let fonts: PDFFonts
    private var subsets: [TrueTypeSubset]
    private var pages: [(size: PDFPageSize, content: String)] = []
    private let title: String?
    private let creationDate: String?

    /// `creationDate` is a PDF date (`D:20261209103000+07'00'`), written only when given.
    public init(fonts: PDFFonts, title: String? = nil, creationDate: String? = nil) {
        self.fonts = fonts
        subsets = [TrueTypeSubset(font: fonts.regular), TrueTypeSubset(font: fonts.bold)]
        self.title = title
        self.creationDate = creationDate
    }

    public var pageCount: Int { pages.count }

    public func beginPage(_ size: PDFPageSize) {
        pages.append((size, ""))
    }

    /// The size of the current page.
    public var pageSize: (width: Double, height: Double) { pages.last?.size.dimensions ?? (0, 0) }

    private func emit(_ operators: String) {
        precondition(!pages.isEmpty, "beginPage first")
        pages[pages.count - 1].content += operators + "\n"
    }

    private func flip(_ y: Double) -> Double { pageSize.height - y }

    // MARK: Text

    public func textWidth(_ text: String, size: Double, weight: PDFFontWeight = .regular) -> Double {
        fonts[weight].width(of: text.precomposedStringWithCanonicalMapping, size: size)
    }

    /// One line of text with its baseline at `y`.
    public func text(_ text: String, x: Double, y: Double, size: Double, weight: PDFFontWeight = .regular) {
        let index = weight == .bold ? 1 : 0
        var hex = ""
        for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars where scalar.value >= 0x20 {
            let cid = subsets[index].cid(for: scalar)
            hex += PDFWriter.hex16(Int(cid))
        }
        guard !hex.isEmpty else { return }
        emit("BT /F\(index + 1) \(PDFWriter.number(size)) Tf 1 0 0 1 \(PDFWriter.number(x)) \(PDFWriter.number(flip(y))) Tm <\(hex)> Tj ET")
    }

    /// One line aligned within `x…x+width`.
    public func text(_ text: String, x: Double, width: Double, y: Double, size: Double, weight: PDFFontWeight = .regular,
                     alignment: PDFTextAlignment) {
        let measured = textWidth(text, size: size, weight: weight)
        let left = switch alignment {
        case .left: x
        case .center: x + (width - measured) / 2
        case .right: x + width - measured
        }
        self.text(text, x: left, y: y, size: size, weight: weight)
    }

    /// Lines of at most `width` points, broken at spaces (a word longer than a line is broken anywhere) and at "\n".
    public func wrap(_ text: String, width: Double, size: Double, weight: PDFFontWeight = .regular) -> [String] {
        var lines: [String] = []
        for paragraph in text.precomposedStringWithCanonicalMapping.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
                let candidate = line.isEmpty ? word : line + " " + word
                if textWidth(candidate, size: size, weight: weight) <= width {
                    line = candidate
                    continue
                }
                if !line.isEmpty { lines.append(line) }
                line = ""
                for character in word {
                    if !line.isEmpty && textWidth(line + String(character), size: size, weight: weight) > width {
                        lines.append(line)
                        line = ""
                    }
                    line.append(character)
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// Wrapped text from the baseline `y` down; returns the baseline after the last line.
    @discardableResult
    public func paragraph(_ text: String, x: Double, y: Double, width: Double, size: Double, weight: PDFFontWeight = .regular,
                          alignment: PDFTextAlignment = .left, lineHeight: Double? = nil) -> Double {
        let step = lineHeight ?? size * 1.3
        var baseline = y
        for line in wrap(text, width: width, size: size, weight: weight) {
            self.text(line, x: x, width: width, y: baseline, size: size, weight: weight, alignment: alignment)
            baseline += step
        }
        return baseline
    }

    // MARK: Shapes

    public func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double), width: Double = 0.5) {
        emit("\(PDFWriter.number(width)) w \(PDFWriter.number(start.x)) \(PDFWriter.number(flip(start.y))) m "
            + "\(PDFWriter.number(end.x)) \(PDFWriter.number(flip(end.y))) l S")
    }

    /// A rectangle whose top-left corner is (`x`, `y`), stroked or filled black.
    public func rectangle(x: Double, y: Double, width: Double, height: Double, lineWidth: Double = 0.5, filled: Bool = false) {
        let box = "\(PDFWriter.number(x)) \(PDFWriter.number(flip(y + height))) \(PDFWriter.number(width)) \(PDFWriter.number(height)) re"
        emit(filled ? "\(box) f" : "\(PDFWriter.number(lineWidth)) w \(box) S")
    }

    /// One table row: each cell's text wrapped in its column, all cells as tall as the tallest, borders drawn.
    /// Returns the row's height.
    @discardableResult
    public func tableRow(_ cells: [TableCell], x: Double, y: Double, size: Double, padding: Double = 3) -> Double {
        let lineHeight = size * 1.25
        let wrapped = cells.map { wrap($0.text, width: $0.width - 2 * padding, size: size, weight: $0.weight) }
        let height = Double(wrapped.map(\.count).max() ?? 1) * lineHeight + 2 * padding
        var left = x
        for (cell, lines) in zip(cells, wrapped) {
            rectangle(x: left, y: y, width: cell.width, height: height)
            var baseline = y + padding + size * 0.95
            for line in lines {
                text(line, x: left + padding, width: cell.width - 2 * padding, y: baseline, size: size, weight: cell.weight,
                     alignment: cell.alignment)
                baseline += lineHeight
            }
            left += cell.width
        }
        return height
    }

    /// The height `tableRow` would take, to decide on a page break first.
    public func tableRowHeight(_ cells: [TableCell], size: Double, padding: Double = 3) -> Double {
        let lines = cells.map { wrap($0.text, width: $0.width - 2 * padding, size: size, weight: $0.weight).count }
        return Double(lines.max() ?? 1) * size * 1.25 + 2 * padding
    }

    /// A QR code's dark modules as filled squares in a `side` × `side` box at (`x`, `y`); the caller leaves
    /// the light quiet zone (four modules) around it.
    public func qrCode(_ code: QRCode, x: Double, y: Double, side: Double) {
        let module = side / Double(code.size)
        var path = ""
        for row in 0..<code.size {
            var column = 0
            while column < code.size {
                guard code[row, column] else { column += 1; continue }
                let start = column
                while column < code.size && code[row, column] { column += 1 }
                // Runs of dark modules as one rectangle; a hair of overlap avoids seams between rows.
                path += "\(PDFWriter.number(x + Double(start) * module)) \(PDFWriter.number(flip(y + Double(row + 1) * module))) "
                    + "\(PDFWriter.number(Double(column - start) * module)) \(PDFWriter.number(module + 0.01)) re\n"
            }
        }
        emit("0 g\n" + path + "f")
    }

    // MARK: File

    /// The finished file. The writer can still take pages afterwards; each call writes everything again.
    public func finish() -> [UInt8] {
        var objects: [[UInt8]] = []
        func reserve() -> Int { objects.append([]); return objects.count }
        func set(_ number: Int, _ body: String) { objects[number - 1] = Array(body.utf8) }
        func setStream(_ number: Int, dictionary: String, _ data: [UInt8]) {
            objects[number - 1] = Array("<< \(dictionary) /Length \(data.count) >>\nstream\n".utf8) + data + Array("\nendstream".utf8)
        }

        let catalog = reserve(), pagesNode = reserve(), info = reserve()
        var fontRefs: [String] = []
        for (index, subset) in subsets.enumerated() where subset.usedCount > 1 {
            let type0 = reserve(), cidFont = reserve(), descriptor = reserve(), file = reserve(), toUnicode = reserve()
            fontRefs.append("/F\(index + 1) \(type0) 0 R")
            let font = subset.font
            let baseName = PDFWriter.subsetTag(subset) + "+" + font.name
            let scale = 1000 / Double(font.unitsPerEm)
            func units(_ value: Int) -> String { String(Int((Double(value) * scale).rounded())) }
            set(type0, "<< /Type /Font /Subtype /Type0 /BaseFont /\(baseName) /Encoding /Identity-H "
                + "/DescendantFonts [\(cidFont) 0 R] /ToUnicode \(toUnicode) 0 R >>")
            let widths = (0..<subset.usedCount).map { units(subset.advance(ofCID: UInt16($0))) }.joined(separator: " ")
            set(cidFont, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /\(baseName) "
                + "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                + "/FontDescriptor \(descriptor) 0 R /DW \(units(font.advance(of: 0))) /W [0 [\(widths)]] /CIDToGIDMap /Identity >>")
            let box = font.boundingBox
            set(descriptor, "<< /Type /FontDescriptor /FontName /\(baseName) /Flags 32 "
                + "/FontBBox [\(units(box.0)) \(units(box.1)) \(units(box.2)) \(units(box.3))] /ItalicAngle 0 "
                + "/Ascent \(units(font.ascender)) /Descent \(units(font.descender)) /CapHeight \(units(font.capHeight)) "
                + "/StemV \(index == 1 ? 120 : 80) /FontFile2 \(file) 0 R >>")
            let fontFile = subset.fontFile()
            setStream(file, dictionary: "/Length1 \(fontFile.count)", fontFile)
            setStream(toUnicode, dictionary: "", Array(PDFWriter.toUnicodeCMap(subset).utf8))
        }
        let resources = "<< /ProcSet [/PDF /Text] /Font << \(fontRefs.joined(separator: " ")) >> >>"
        var kids: [String] = []
        for page in pages {
            let pageObject = reserve(), content = reserve()
            kids.append("\(pageObject) 0 R")
            let (width, height) = page.size.dimensions
            set(pageObject, "<< /Type /Page /Parent \(pagesNode) 0 R /MediaBox [0 0 \(PDFWriter.number(width)) \(PDFWriter.number(height))] "
                + "/Resources \(resources) /Contents \(content) 0 R >>")
            setStream(content, dictionary: "", Array(page.content.utf8))
        }
        set(catalog, "<< /Type /Catalog /Pages \(pagesNode) 0 R >>")
        set(pagesNode, "<< /Type /Pages /Kids [\(kids.joined(separator: " "))] /Count \(pages.count) >>")
        var infoEntries = "/Producer (MotCua)"
        if let title { infoEntries += " /Title <FEFF\(title.utf16.map { PDFWriter.hex16(Int($0)) }.joined())>" }
        if let creationDate { infoEntries += " /CreationDate (\(creationDate))" }
        set(info, "<< \(infoEntries) >>")

        var out = Array("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(index + 1) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let digits = String(offset)
            table += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
        }
        table += "trailer\n<< /Size \(objects.count + 1) /Root \(catalog) 0 R /Info \(info) 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        out += Array(table.utf8)
        return out
    }

    /// Maps each CID back to its text, so `pdftotext` and screen readers get "Nguyễn", not glyph numbers.
    static func toUnicodeCMap(_ subset: TrueTypeSubset) -> String {
        var entries: [String] = []
        for cid in 1..<subset.usedCount {
            guard let scalar = subset.unicode[UInt16(cid)] else { continue }
            let utf16 = String(Character(scalar)).utf16.map { hex16(Int($0)) }.joined()
            entries.append("<\(hex16(cid))> <\(utf16)>")
        }
        var chunks = ""
        var start = 0
        while start < entries.count {
            let chunk = entries[start..<min(start + 100, entries.count)]
            chunks += "\(chunk.count) beginbfchar\n" + chunk.joined(separator: "\n") + "\nendbfchar\n"
            start += 100
        }
        return """
        /CIDInit /ProcSet findresource begin
        12 dict begin
        begincmap
        /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
        /CMapName /Adobe-Identity-UCS def
        /CMapType 2 def
        1 begincodespacerange
        <0000> <FFFF>
        endcodespacerange
        \(chunks)endcmap
        CMapName currentdict /CMap defineresource pop
        end
        end
        """
    }

    /// Six capital letters from the subset's glyph list (FNV-1a), as PDF asks of subset font names.
    static func subsetTag(_ subset: TrueTypeSubset) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for glyph in subset.originals {
            for byte in [UInt8(glyph >> 8), UInt8(glyph & 0xFF)] {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
            }
        }
        var tag = ""
        for _ in 0..<6 {
            tag.append(Character(Unicode.Scalar(UInt8(65 + hash % 26))))
            hash /= 26
        }
        return tag
    }

    static func hex16(_ value: Int) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[(value >> 12) & 15], digits[(value >> 8) & 15], digits[(value >> 4) & 15], digits[value & 15]])
    }

    /// A number with at most two decimals and no exponent, the same on every machine.
    static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = abs(hundredths)
        let fraction = magnitude % 100
        if fraction == 0 { return sign + String(magnitude / 100) }
        let decimals = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0" : "") + String(fraction)
        return sign + String(magnitude / 100) + "." + decimals
    }
}

/// A cell of `PDFWriter.tableRow`.
public struct TableCell: Sendable {
    public var text: String
    public var width: Double
    public var weight: PDFFontWeight
    public var alignment: PDFTextAlignment

    public init(_ text: String, width: Double, weight: PDFFontWeight = .regular, alignment: PDFTextAlignment = .left) {
        self.text = text
        self.width = width
        self.weight = weight
        self.alignment = alignment
    }
}
