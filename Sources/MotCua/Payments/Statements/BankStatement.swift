import Foundation

// A bank statement exported as CSV, read into credit lines. Our own reader: no CSV package is among the Swift
// packages available to this project, and what is needed is RFC 4180 (quoted fields, doubled quotes, commas or
// semicolons, CRLF) plus recognising the columns Vietnamese banks name in their exports. The amounts are read
// with `Money(parsing:)` (never a Double).

/// One credit line of a statement.
struct StatementLine: Sendable, Equatable {
    /// The line number in the file (the header is line 1).
    var lineNumber: Int
    /// The bank's transaction number (số bút toán, số tham chiếu); recorded once.
    var reference: String
    var amount: Money
    /// The transfer note as the bank kept it.
    var note: String
    var date: String
}

/// A line that could not be read (no amount, a debit, a broken number).
struct StatementProblem: Sendable, Equatable {
    var lineNumber: Int
    var message: String
}

enum BankStatement {
    /// Statements larger than this are refused before reading (a year of a busy department is far smaller).
    static let maximumBytes = 8 * 1_048_576
    static let maximumLines = 50_000

    /// Column names banks use, folded to lower-case ASCII.
    static let amountNames = ["so tien ghi co", "ghi co", "so tien", "so tien (vnd)", "credit", "credit amount", "amount", "tien vao"]
    static let noteNames = ["noi dung", "noi dung giao dich", "noi dung chuyen khoan", "dien giai", "mo ta", "chi tiet", "description",
                            "transaction description", "narrative", "remark"]
    static let referenceNames = ["so tham chieu", "ma giao dich", "so giao dich", "so but toan", "ma tham chieu", "reference", "ref",
                                 "transaction id", "transaction no", "so ct"]
    static let dateNames = ["ngay giao dich", "ngay", "ngay hach toan", "date", "transaction date", "posting date"]

    /// The credit lines of `text` and the lines that could not be read; throws when the file has no usable header.
    static func read(_ text: String) throws(PaymentError) -> (lines: [StatementLine], problems: [StatementProblem]) {
        var rows = parse(text)
        while let first = rows.first, first.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { rows.removeFirst() }
        guard let header = rows.first else { throw .invalidStatement("Tệp sao kê trống.") }
        guard rows.count <= maximumLines + 1 else {
            throw .invalidStatement("Tệp sao kê có quá \(maximumLines) dòng; hãy chia nhỏ theo tháng.")
        }
        let names = header.map { VietnameseText.fold($0).trimmingCharacters(in: .whitespaces) }
        func column(_ candidates: [String]) -> Int? {
            for candidate in candidates { if let index = names.firstIndex(of: candidate) { return index } }
            return nil
        }
        guard let amountColumn = column(amountNames), let noteColumn = column(noteNames) else {
            throw .invalidStatement("Không nhận ra cột số tiền và cột nội dung trong dòng tiêu đề của tệp sao kê (ví dụ: \"Số tiền\", \"Nội dung\").")
        }
        let referenceColumn = column(referenceNames)
        let dateColumn = column(dateNames)
        var lines: [StatementLine] = []
        var problems: [StatementProblem] = []
        for (offset, row) in rows.dropFirst().enumerated() {
            let lineNumber = offset + 2
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            func cell(_ index: Int?) -> String {
                guard let index, row.indices.contains(index) else { return "" }
                return row[index].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let amountText = cell(amountColumn)
            if amountText.isEmpty || amountText == "0" { continue }  // a debit-only line of a two-column statement
            let amount: Money
            do {
                amount = try Money(parsing: amountText)
            } catch {
                problems.append(StatementProblem(lineNumber: lineNumber, message: "Số tiền \"\(amountText.prefix(30))\": \(error.message)"))
                continue
            }
            lines.append(StatementLine(lineNumber: lineNumber, reference: String(cell(referenceColumn).prefix(100)), amount: amount,
                                       note: String(cell(noteColumn).prefix(500)), date: String(cell(dateColumn).prefix(40))))
        }
        return (lines, problems)
    }

    /// RFC 4180 rows; the separator is the one (comma or semicolon) that appears more often in the first line.
    static func parse(_ text: String) -> [[String]] {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let firstLine = body.prefix { $0 != "\n" && $0 != "\r\n" }
        let separator: Character = firstLine.filter { $0 == ";" }.count > firstLine.filter { $0 == "," }.count ? ";" : ","
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = body.makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case separator: row.append(field); field = ""
            case "\n", "\r\n", "\r":
                row.append(field); field = ""
                rows.append(row); row = []
            default: field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// Dossier codes a transfer note may hold, as the portal writes them ("000.00.09.H13-261206-0001"), longest
    /// reading first. Banking apps drop punctuation and change case ("0000009h132612060001", "000 00 09 H13
    /// 261206 0001"), so the note's letters and digits are searched for the code's shape and the punctuation put
    /// back. The day's number has four digits or more ("…-12345" is the 12 345th), so a run of digits after the
    /// date is read at each length from its own down to four; the caller takes the first that names a dossier.
    static func dossierCodes(in note: String) -> [String] {
        let compact = String(note.uppercased().unicodeScalars.filter { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }.map(Character.init))
        var codes: [String] = []
        for match in compact.matches(of: /[0-9]{7}[A-Z][0-9]{10,}/) {
            let s = Array(match.output)
            let prefix = String(s[0..<3]) + "." + String(s[3..<5]) + "." + String(s[5..<7]) + "." + String(s[7..<10]) + "-"
                + String(s[10..<16]) + "-"
            for length in stride(from: min(s.count - 16, 8), through: 4, by: -1) {
                let code = prefix + String(s[16..<(16 + length)])
                if !codes.contains(code) { codes.append(code) }
            }
        }
        return codes
    }
}
