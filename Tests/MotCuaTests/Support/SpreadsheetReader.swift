import Foundation
import HummingbirdTesting
import NIOCore
import Testing

/// Reads a downloaded XLSX back with an independent reader (Python's zipfile, which checks every entry's
/// CRC, and its XML parser), as rows of cell texts with empty cells kept in their columns.
enum SpreadsheetReader {
    static func rows(_ response: TestResponse) throws -> [[String]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sheet-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(response.body.readableBytesView).write(to: file)
        let printed = try ProcessingPageTests.python("""
            import sys, zipfile, json, xml.etree.ElementTree as ET
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
            sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
            def column(ref):
                n = 0
                for ch in ref:
                    if ch.isalpha():
                        n = n * 26 + ord(ch) - 64
                return n - 1
            rows = []
            for row in sheet.findall(".//m:row", ns):
                cells = {column(c.get("r")): c.findtext(".//m:t", default="", namespaces=ns) or c.findtext("m:v", default="", namespaces=ns)
                         for c in row.findall("m:c", ns)}
                rows.append([cells.get(i, "") for i in range(max(cells) + 1 if cells else 0)])
            print(json.dumps(rows, ensure_ascii=False))
            """, file.path)
        return try JSONDecoder().decode([[String]].self, from: Data(printed.utf8))
    }
}
