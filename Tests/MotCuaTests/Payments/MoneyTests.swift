import Foundation
import HTTPTypes
import Testing

@testable import MotCua

@Suite("Payments: money in đồng")
struct PaymentMoneyTests {
    @Test("Amounts are written the Vietnamese way: dots between groups of three, then \" đ\"")
    func formatting() {
        #expect(Money(dong: 100_000).formatted == "100.000 đ")
        #expect(Money(dong: 0).formatted == "0 đ")
        #expect(Money(dong: 999).formatted == "999 đ")
        #expect(Money(dong: 1_000).formatted == "1.000 đ")
        #expect(Money(dong: 1_234_567).formatted == "1.234.567 đ")
        #expect(Money(dong: -50_000).formatted == "-50.000 đ")
        #expect(Money(dong: 100_000).description == "100.000 đ")
        #expect(Money(dong: 100_000).plainDigits == "100000")
        #expect(Money(dong: Int64.min).grouped == "-9.223.372.036.854.775.808")
    }

    @Test("Grouping agrees with Python's own thousands separator (format(n, ',') with dots) over many amounts",
          .enabled(if: ExternalTool.has("python3"), "python3 is missing"))
    func formattingAgreesWithPython() throws {
        var amounts: [Int64] = [0, 1, 12, 123, 1_234, 12_345, 123_456, 1_234_567, 9_999_999_999, Int64.max, -1, -1_000, -987_654_321]
        var seed: UInt64 = 0x5EED
        for _ in 0..<200 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            amounts.append(Int64(bitPattern: seed >> UInt64(seed % 50)))
        }
        let script = "import sys\nfor a in sys.argv[1:]:\n    print(format(int(a), ',').replace(',', '.') + ' đ')"
        let result = try ExternalTool.run("python3", ["-c", script] + amounts.map(String.init))
        #expect(result.status == 0, "\(result.errors)")
        let expected = result.output.split(separator: "\n").map(String.init)
        #expect(expected.count == amounts.count)
        #expect(amounts.map { Money(dong: $0).formatted } == expected)
    }

    @Test("Text people and statements write parses to the exact amount",
          arguments: [
              ("100000", 100_000), ("100.000", 100_000), ("100,000", 100_000), ("100 000", 100_000),
              ("100.000 đ", 100_000), ("100.000đ", 100_000), ("100.000 VND", 100_000), ("100.000 VNĐ", 100_000),
              ("100000 đồng", 100_000), ("  1.234.567  ", 1_234_567), ("100,000.00", 100_000), ("100.000,00", 100_000),
              ("100000.00", 100_000), ("100000,0", 100_000), ("5", 5), ("1.000.000.000", 1_000_000_000),
              ("999.999.999.999.999", 999_999_999_999_999), ("0", 0),
          ] as [(String, Int64)])
    func parsing(text: String, dong: Int64) throws {
        #expect(try Money(parsing: text) == Money(dong: dong))
    }

    @Test("Ambiguous or wrong text is refused with a Vietnamese reason, never guessed",
          arguments: [
              ("", MoneyError.empty), ("đ", .empty), ("abc", .notANumber), ("1.5", .fractional), ("100.000,50", .fractional),
              ("10.00.000", .notANumber), ("1.000,000", .notANumber), ("1,000.000.000", .notANumber),
              ("-100", .notPositive), ("+100", .notPositive), ("1e5", .notANumber), ("١٢٣", .notANumber),
              ("1.000.000.000.000.000", .tooLarge), ("99999999999999999999", .tooLarge), ("1..000", .notANumber),
              ("100.000 USD", .notANumber),
          ] as [(String, MoneyError)])
    func refusals(text: String, error: MoneyError) {
        #expect(throws: error) { try Money(parsing: text) }
        #expect(!error.message.isEmpty && error.portalError.status.code == 422)
    }

    @Test("Arithmetic is exact; a sum that would overflow is reported, not wrapped")
    func arithmetic() throws {
        let fee = Money(dong: 100_000)
        #expect(fee + fee == Money(dong: 200_000))
        #expect(fee * 3 - Money(dong: 50_000) == Money(dong: 250_000))
        #expect(try Money.sum([fee, fee, Money(dong: 1)]) == Money(dong: 200_001))
        #expect(try Money.sum([Money]()) == .zero)
        #expect(throws: MoneyError.tooLarge) { try Money.sum([Money(dong: .max), Money(dong: 1)]) }
        #expect(try fee.requirePositive() == fee)
        #expect(throws: MoneyError.notPositive) { try Money.zero.requirePositive() }
        #expect(Money(dong: 1) < fee && -fee < .zero)
    }

    @Test("JSON carries a plain integer, like the catalog's fee amounts")
    func codable() throws {
        struct Line: Codable, Equatable { var amount: Money }
        let data = try JSONEncoder().encode(Line(amount: Money(dong: 100_000)))
        #expect(String(decoding: data, as: UTF8.self) == #"{"amount":100000}"#)
        #expect(try JSONDecoder().decode(Line.self, from: Data(#"{"amount":250000}"#.utf8)) == Line(amount: Money(dong: 250_000)))
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Line.self, from: Data(#"{"amount":1.5}"#.utf8)) }
    }

    @Test("No floating point anywhere in the payment code")
    func noFloatingPoint() throws {
        let folder = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/MotCua/Payments")
        let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(!files.isEmpty, "no Swift files under \(folder.path)")
        for file in files {
            let code = try String(contentsOf: file, encoding: .utf8)
                .split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            for word in ["Double", "Float", "Decimal", "timeIntervalSince"] {
                #expect(!code.contains(word), "\(file.lastPathComponent) uses \(word)")
            }
        }
    }
}
