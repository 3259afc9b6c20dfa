import Foundation

/// One sheet of text and numbers as an Office Open XML workbook (.xlsx, ECMA-376): the minimum parts Excel,
/// LibreOffice and openpyxl open — content types, relationships, workbook, one worksheet with inline strings,
/// and a style sheet with a bold header row. Our own because no XLSX package is among the local Swift
/// packages; it is small, and tested by reading the file back with Python's openpyxl.
struct XLSXWriter {
    enum Cell: Sendable, Equatable {
        case text(String)
        case number(Int64)
        case empty
    }

    var sheetName: String
    var header: [String]
    var rows: [[Cell]]

    func data() -> [UInt8] {
        var zip = StoredZip()
        zip.add("[Content_Types].xml", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            </Types>
            """.utf8))
        zip.add("_rels/.rels", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """.utf8))
        zip.add("xl/workbook.xml", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets><sheet name="\(Self.escape(String(sheetName.prefix(31))))" sheetId="1" r:id="rId1"/></sheets></workbook>
            """.utf8))
        zip.add("xl/_rels/workbook.xml.rels", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>
            """.utf8))
        zip.add("xl/styles.xml", Array("""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
            <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
            </styleSheet>
            """.utf8))
        zip.add("xl/worksheets/sheet1.xml", sheet())
        return zip.finish()
    }

    private func sheet() -> [UInt8] {
        var xml = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
            """
        xml += row(1, header.map { .text($0) }, style: 1)
        for (index, cells) in rows.enumerated() { xml += row(index + 2, cells, style: 0) }
        xml += "</sheetData></worksheet>"
        return Array(xml.utf8)
    }

    private func row(_ number: Int, _ cells: [Cell], style: Int) -> String {
        var xml = "<row r=\"\(number)\">"
        for (column, cell) in cells.enumerated() {
            let reference = Self.columnName(column) + String(number)
            let styled = style > 0 ? " s=\"\(style)\"" : ""
            switch cell {
            case .text(let text):
                xml += "<c r=\"\(reference)\" t=\"inlineStr\"\(styled)><is><t xml:space=\"preserve\">\(Self.escape(text))</t></is></c>"
            case .number(let value):
                xml += "<c r=\"\(reference)\"\(styled)><v>\(value)</v></c>"
            case .empty:
                continue
            }
        }
        return xml + "</row>"
    }

    /// A, B, … Z, AA, AB, …
    static func columnName(_ index: Int) -> String {
        var name = ""
        var n = index + 1
        while n > 0 {
            let remainder = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// XML text: the five entities escaped, and characters XML 1.0 forbids dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value): continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// CSV for spreadsheet programs: UTF-8 with a byte-order mark (so Excel shows Vietnamese), CRLF line ends,
/// every field quoted, and a text that starts like a formula (=, +, -, @) prefixed with an apostrophe so a
/// spreadsheet never runs what an applicant typed (CSV injection).
enum CSVWriter {
    static func data(header: [String], rows: [[String]]) -> [UInt8] {
        var text = "\u{FEFF}"
        for line in [header] + rows {
            text += line.map(field).joined(separator: ",") + "\r\n"
        }
        return Array(text.utf8)
    }

    static func field(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@\t\r".contains(first) { value = "'" + value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
