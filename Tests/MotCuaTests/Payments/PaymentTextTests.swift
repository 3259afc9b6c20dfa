import Foundation
import Testing

@testable import MotCua

@Suite("Payments: text for payment networks")
struct PaymentTextTests {
    static let samples = [
        "Lệ phí hồ sơ Đợt 1", "LỆ PHÍ THI TUYỂN CÔNG CHỨC", "Sở Nội vụ thành phố Cần Thơ", "đăng ký   đường  dây",
        "Nguyễn Thị Ánh Tuyết", "Ứng dụng ưu đãi", "Trường Đại học Y Dược", "Đ", "ĐĐ đđ", "Hồ sơ 000.00.12.H13-261206-0001",
        "Ỷ Ỹ Ỵ ỳ", "Phí\tthẩm định\nlần 2",
    ]

    @Test("Vietnamese folds to ASCII exactly as Python's unicodedata does (NFD, marks dropped, đ as d, spaces squeezed)",
          .enabled(if: PaymentPython.available, "python3 is missing"))
    func foldingAgreesWithPython() throws {
        let script = #"""
        import sys, json, unicodedata
        for s in json.loads(sys.argv[1])['texts']:
            s = s.replace('đ', 'd').replace('Đ', 'D')
            s = ''.join(c for c in unicodedata.normalize('NFD', s) if not unicodedata.combining(c))
            print(' '.join(s.split()))
        """#
        let python = try PaymentPython.run(script, ["texts": Self.samples]).split(separator: "\n").map(String.init)
        #expect(Self.samples.map(PaymentText.foldToASCII) == python)
        #expect(Self.samples.map(PaymentText.foldToASCII).allSatisfy { $0.allSatisfy(\.isASCII) })
    }

    @Test("Characters every gateway escapes alike are allowed; the rest are named")
    func allowed() {
        #expect(PaymentText.refusedCharacters(in: "Le phi, ho so 000.00.12.H13-261206-0001 / lan_2 #1: ok").isEmpty)
        #expect(PaymentText.refusedCharacters(in: "a~b*c!d(e)f'g~") == ["~", "*", "!", "(", ")", "'"])
        #expect(PaymentText.refusedCharacters(in: "phí") == ["í"])
    }
}
