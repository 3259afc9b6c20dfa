import Foundation
import Testing

@testable import MotCua

@Suite("QR code encoder")
struct QRCodeTests {
    static let lookupURL = "https://dichvucong.example.gov.vn/tra-cuu?ma=000.00.08.H06-261209-0001"

    /// `qrencode -t ASCII -l M -8 -m 0 'HELLO'` (qrencode 4.1.1, Debian 12), "1" for dark.
    static let helloReference = """
        111111101001001111111
        100000101111001000001
        101110100010101011101
        101110101010101011101
        101110100001001011101
        100000100001101000001
        111111101010101111111
        000000001001100000000
        101101110101101001011
        011011010111111001100
        100010100101000000011
        101100010001001111010
        010111111000100100101
        000000001111001000101
        111111101001100100000
        100000101010000111110
        101110100000111111011
        101110101011001011110
        101110101100101100100
        100000100010010110001
        111111101010010100000
        """

    static func rows(_ code: QRCode) -> [String] {
        code.modules.map { String($0.map { $0 ? "1" : "0" }) }
    }

    @Test("Version 1-M 'HELLO' equals qrencode's matrix module by module (stored reference)")
    func storedReference() throws {
        let code = try QRCode(text: "HELLO", errorCorrection: .medium)
        #expect(code.version == 1 && code.size == 21)
        #expect(Self.rows(code) == Self.helloReference.split(separator: "\n").map(String.init))
    }

    @Test("The lookup URL fits version 5-M; capacity limits are enforced")
    func versionChoice() throws {
        let code = try QRCode(text: Self.lookupURL)
        #expect(Self.lookupURL.utf8.count == 70)
        #expect(code.version == 5 && code.size == 37)
        // 2953 bytes is the most version 40-L holds in byte mode.
        #expect(try QRCode(bytes: Array(repeating: 0x41, count: 2953), errorCorrection: .low).version == 40)
        #expect(throws: QRCode.EncodingError.dataTooLong(bytes: 2954)) {
            try QRCode(bytes: Array(repeating: 0x41, count: 2954), errorCorrection: .low)
        }
    }

    @Test("Reed–Solomon codewords of the standard's example (ISO/IEC 18004 annex I, 1-M '01234567')")
    func reedSolomonExample() {
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        let ecc = ReedSolomon(degree: 10).remainder(data)
        #expect(ecc == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    static let samples: [(String, QRCode.ErrorCorrection)] = [
        ("HELLO", .medium),
        (lookupURL, .medium),
        (lookupURL, .low),
        (lookupURL, .quartile),
        (lookupURL, .high),
        ("Nguyễn Thị Hồng Nhung – Phường Ba Đình, Hà Nội", .medium),
        // Versions 7 and up carry version information; 10 and up a 16-bit character count.
        (String(repeating: "https://dichvucong.example.gov.vn/", count: 4), .medium),
        (String(repeating: "Giấy tiếp nhận hồ sơ ", count: 10), .medium),
        (String(repeating: "0123456789abcdef", count: 20), .medium),
        (String(repeating: "x", count: 600), .quartile),
    ]

    @Test("Matches qrencode module by module (versions 1–19, levels L/M/Q/H)",
          .enabled(if: ExternalTool.has("qrencode"), "qrencode is missing: apt-get install qrencode (scripts/test does)"),
          arguments: samples.indices)
    func matchesQrencode(index: Int) throws {
        let (text, level) = Self.samples[index]
        let letter = ["L", "M", "Q", "H"][level.rawValue]
        let result = try ExternalTool.run("qrencode", ["-t", "ASCII", "-l", letter, "-8", "-m", "0", "-o", "-", text])
        #expect(result.status == 0, "\(result.errors)")
        let reference = result.output.split(separator: "\n").map {
            $0.replacingOccurrences(of: "##", with: "1").replacingOccurrences(of: "  ", with: "0")
        }
        let code = try QRCode(text: text, errorCorrection: level)
        #expect(reference.count == code.size, "version \(code.version)")
        #expect(Self.rows(code) == reference, "version \(code.version), mask \(code.mask)")
    }

    @Test("zbarimg decodes our matrix, rendered as a PNG, back to the text (all eight masks)",
          .enabled(if: ExternalTool.has("zbarimg"), "zbarimg is missing: apt-get install zbar-tools (scripts/test does)"),
          arguments: 0..<8)
    func decodesWithZbar(mask: Int) throws {
        let text = Self.lookupURL + "&m=\(mask)"
        let code = try QRCode(text: text, mask: mask)
        let scale = 4, quiet = 4
        let side = (code.size + 2 * quiet) * scale
        let png = TestPNG.grayscale(width: side, height: side) { x, y in
            let column = x / scale - quiet, row = y / scale - quiet
            let dark = (0..<code.size).contains(row) && (0..<code.size).contains(column) && code[row, column]
            return dark ? 0 : 255
        }
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let path = try scratch.write(png, to: "qr.png")
        let result = try ExternalTool.run("zbarimg", ["--raw", "-q", path])
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.trimmingCharacters(in: .newlines) == text)
    }
}
