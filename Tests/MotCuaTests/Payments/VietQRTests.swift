import Foundation
import HTTPTypes
import Testing

@testable import MotCua

@Suite("Payments: VietQR (NAPAS EMVCo) payload")
struct PaymentVietQRTests {
    /// The agency account of seed 003 (BIDV, BIN 970418).
    static func agencyAccount() throws -> VietQRAccount { try VietQRAccount(bin: "970418", accountNumber: "39510000506542") }
    static let dossierCode = "000.00.12.H13-261206-0001"

    /// NAPAS's examples from its QR format specification v1.5.2, as published (a static and a dynamic code to
    /// account 0011012345678 at BIN 970403).
    static let napasStatic = "00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN63049E6F"
    static let napasDynamic = "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E"

    static func pythonCRC(_ texts: [String]) throws -> [String] {
        let script = "import sys, json, binascii\nfor t in json.loads(sys.argv[1])['texts']:\n    print('%04X' % binascii.crc_hqx(t.encode(), 0xFFFF))"
        return try PaymentPython.run(script, ["texts": texts]).split(separator: "\n").map(String.init)
    }

    @Test("The exam fee code holds each field as NAPAS lays it out, and its CRC is Python's crc_hqx(data, 0xFFFF)",
          .enabled(if: PaymentPython.available, "python3 is missing"))
    func examFeePayload() throws {
        let code = try VietQR(account: try Self.agencyAccount(), amount: Money(dong: 100_000), note: Self.dossierCode)
        let body = "000201" + "010212"
            + "3858" + ("0010A000000727" + "0128" + ("0006970418" + "011439510000506542") + "0208QRIBFTTA")
            + "5303704" + "5406100000" + "5802VN"
            + "6229" + ("0825" + "000.00.12.H13-261206-0001")
            + "6304"
        let crc = try #require(try Self.pythonCRC([body]).first)
        #expect(code.payload == body + crc)
        #expect(code.note == Self.dossierCode)
    }

    @Test("Our CRC agrees with Python's on many payloads, and with the published NAPAS examples",
          .enabled(if: PaymentPython.available, "python3 is missing"))
    func crcAgreesWithPython() throws {
        var payloads: [String] = [Self.napasStatic, Self.napasDynamic]
        let notes: [String] = ["HS 000.00.12.H13-261206", "Le phi thi tuyen", "a", "NOP PHI/LE PHI, LAN 2", "x_y-z.1"]
        for (index, note) in notes.enumerated() {
            for amount in [1, 5_000, 100_000, 2_500_000, 9_999_999_999_999] as [Int64] {
                let account = try VietQRAccount(bin: String(970_400 + index * 7), accountNumber: String(repeating: "9", count: 1 + index * 4))
                payloads.append(try VietQR(account: account, amount: Money(dong: amount), note: note).payload)
            }
        }
        let bodies = payloads.map { String($0.dropLast(4)) }
        #expect(try Self.pythonCRC(bodies) == payloads.map { String($0.suffix(4)) })
        #expect(VietQR.crcHex("123456789") == "29B1")  // the CRC-16/CCITT-FALSE check value
    }

    @Test("Rendered by our QR encoder and decoded by zbarimg, the code gives back the exact payload",
          .enabled(if: ExternalTool.has("zbarimg"), "zbarimg is missing: apt-get install zbar-tools (scripts/test does)"))
    func decodesWithZbar() throws {
        for code in [try VietQR(account: try Self.agencyAccount(), amount: Money(dong: 100_000), note: Self.dossierCode),
                     try VietQR(account: try Self.agencyAccount(), amount: nil, note: "Lệ phí hồ sơ")] {
            let symbol = try code.qrCode()
            let scale = 4, quiet = 4
            let side = (symbol.size + 2 * quiet) * scale
            let png = TestPNG.grayscale(width: side, height: side) { x, y in
                let column = x / scale - quiet, row = y / scale - quiet
                let dark = (0..<symbol.size).contains(row) && (0..<symbol.size).contains(column) && symbol[row, column]
                return dark ? 0 : 255
            }
            let scratch = try ScratchDirectory()
            defer { scratch.remove() }
            let result = try ExternalTool.run("zbarimg", ["--raw", "-q", try scratch.write(png, to: "vietqr.png")])
            #expect(result.status == 0, "\(result.errors)")
            #expect(result.output.trimmingCharacters(in: .newlines) == code.payload)
        }
    }

    @Test("NAPAS's published examples read back to their fields, and our builder writes them character for character")
    func publishedExamples() throws {
        let dynamic = try VietQR.parse(Self.napasDynamic)
        #expect(dynamic.account == (try VietQRAccount(bin: "970403", accountNumber: "0011012345678")))
        #expect(dynamic.service == .toAccount)
        #expect(dynamic.amount == Money(dong: 180_000))
        #expect(dynamic.note == "thanh toan don hang")
        #expect(dynamic.billNumber == "NPS6869")
        #expect(dynamic.payload == Self.napasDynamic)

        let fixed = try VietQR.parse(Self.napasStatic)
        #expect(fixed.amount == nil && fixed.note == nil && fixed.billNumber == nil)
        let ours = try VietQR(account: VietQRAccount(bin: "970403", accountNumber: "0011012345678"), amount: nil, note: nil)
        #expect(ours.payload == Self.napasStatic)
        #expect(ours == fixed)

        let toCard = try VietQR(account: VietQRAccount(bin: "970403", accountNumber: "9704031101234567"), amount: nil, note: nil,
                                service: .toCard)
        // NAPAS's static "to card" example (same specification).
        #expect(toCard.payload == "00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN63044F52")
        #expect(try VietQR.parse(toCard.payload) == toCard)
    }

    @Test("Notes are folded to ASCII; what banking apps drop or what does not fit is refused in Vietnamese",
          arguments: [
              ("Lệ phí hồ sơ Đợt 1", nil),
              ("  Nộp   phí  ", nil),
              ("HS#0001", VietQRError.noteCharacters(["#"])),
              ("Phí (lần 2) @ 100%", .noteCharacters(["(", ")", "@", "%"])),
              ("phí 漢字", .noteCharacters(["漢", "字"])),
              ("000.00.12.H13-261206-00012", .noteTooLong(26)),
              ("   ", .noteEmpty),
          ] as [(String, VietQRError?)])
    func notes(text: String, error: VietQRError?) throws {
        if let error {
            #expect(throws: error) { try VietQR(account: try Self.agencyAccount(), amount: Money(dong: 100_000), note: text) }
            #expect(error.message.lowercased().contains("nội dung chuyển khoản") && error.portalError.status.code == 422)
        } else {
            let code = try VietQR(account: try Self.agencyAccount(), amount: Money(dong: 100_000), note: text)
            let note = try #require(code.note)
            #expect(note.allSatisfy { $0.isASCII })
            #expect(try VietQR.parse(code.payload).note == note)
        }
        let folded = try VietQR(account: try Self.agencyAccount(), amount: nil, note: "Lệ phí hồ sơ Đợt 1").note
        #expect(folded == "Le phi ho so Dot 1")
        let spaced = try VietQR(account: try Self.agencyAccount(), amount: nil, note: "  Nộp   phí  ").note
        #expect(spaced == "Nop phi")
    }

    @Test("Bank BIN, account number and amount are checked")
    func inputs() {
        for bin in ["97041", "9704180", "97041A", "", "９７０４１８"] {
            #expect(throws: VietQRError.invalidBIN, "\(bin)") { try VietQRAccount(bin: bin, accountNumber: "123") }
        }
        for number in ["", String(repeating: "1", count: 20), "3951 0000", "3951-0000", "Đ123"] {
            #expect(throws: VietQRError.invalidAccountNumber, "\(number)") { try VietQRAccount(bin: "970418", accountNumber: number) }
        }
        #expect((try? VietQRAccount(bin: "970418", accountNumber: String(repeating: "1", count: 19))) != nil)
        #expect((try? VietQRAccount(bin: "970418", accountNumber: "CAKE01")) != nil)
        #expect(throws: VietQRError.amountNotPositive) { try VietQR(account: try Self.agencyAccount(), amount: .zero, note: nil) }
        #expect(throws: VietQRError.amountTooLarge) { try VietQR(account: try Self.agencyAccount(), amount: Money(dong: 10_000_000_000_000), note: nil) }
        #expect(VietQRError.invalidBIN.message == "Mã BIN của ngân hàng phải gồm đúng 6 chữ số (ví dụ BIDV là 970418).")
    }

    @Test("A changed or foreign payload is refused when read",
          .enabled(if: PaymentPython.available, "python3 is missing"))
    func parseRefusals() throws {
        let good = try VietQR(account: try Self.agencyAccount(), amount: Money(dong: 100_000), note: Self.dossierCode).payload
        // One digit of the amount changed, CRC kept: the checksum catches it.
        #expect(throws: VietQRError.badChecksum) { try VietQR.parse(good.replacingOccurrences(of: "5406100000", with: "5406900000")) }
        // Re-checksummed by Python after a change: well formed, but not a NAPAS transfer or not in đồng.
        func resealed(_ body: String) throws -> String { body + (try #require(try Self.pythonCRC([body]).first)) }
        let body = String(good.dropLast(4))
        #expect(throws: VietQRError.notVietQR) { try VietQR.parse(try resealed(body.replacingOccurrences(of: "A000000727", with: "A000000999"))) }
        #expect(throws: VietQRError.wrongCurrency) { try VietQR.parse(try resealed(body.replacingOccurrences(of: "5303704", with: "5303840"))) }
        // A copy of NAPAS's static example that circulates with a wrong inner length: its CRC is right, its fields are not.
        let mistyped = "00020101021138570010A00000072701270006970403011200110123456780208QRIBFTTA53037045802VN6304F4E5"
        #expect(try Self.pythonCRC([String(mistyped.dropLast(4))]) == ["F4E5"])
        #expect(throws: VietQRError.self) { try VietQR.parse(mistyped) }
        // Truncated, a tag twice, not ASCII.
        #expect(throws: VietQRError.self) { try VietQR.parse(String(good.dropLast(1))) }
        #expect(throws: VietQRError.self) { try VietQR.parse(try resealed(body.replacingOccurrences(of: "5802VN", with: "5802VN5802VN"))) }
        #expect(throws: VietQRError.self) { try VietQR.parse("000201Đ6304ABCD") }
    }
}
