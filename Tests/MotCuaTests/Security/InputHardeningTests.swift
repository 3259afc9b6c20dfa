import Foundation
import Testing

@testable import MotCua

@Suite("Input hardening")
struct InputHardeningTests {
    // Internationalised domains are refused since the mailer (SMTP without SMTPUTF8) cannot deliver to them:
    // such an account could never verify its address (hardening issue, point 11).
    @Test("E-mail addresses with quotes, separators, markup or non-ASCII domains are refused; ordinary ones pass",
          arguments: [
              ("an.nguyen+ho-so@sonoivu.backan.gov.vn", true), ("a@bắc-kạn.vn", false), ("o'brien@example.vn", true),
              ("a\"b@x.vn", false), ("a;b@x.vn", false), ("a,b@x.vn", false), ("<script>@x.vn", false), ("a b@x.vn", false),
              ("a@x", false), (".a@x.vn", false), ("a..b@x.vn", false), ("a@-x.vn", false), ("a@x..vn", false), ("@x.vn", false),
          ])
    func emails(address: String, valid: Bool) {
        #expect(Identifiers.isEmail(address) == valid)
    }

    @Test("A download keeps the extension of what the file really is", arguments: [
        ("trang.html", DocumentFormat.pdf, "trang.pdf"), ("Ảnh chụp.JPEG", .jpg, "Ảnh chụp.JPEG"), ("scan", .png, "scan.png"),
        ("don.pdf", .pdf, "don.pdf"), ("hinh.png.exe", .png, "hinh.png.png"), (".pdf", .jpg, "tep.jpg"),
    ])
    func extensions(name: String, format: DocumentFormat, expected: String) {
        #expect(DisplayName.withExtension(name, of: format) == expected)
    }

    @Test("A one-time value survives the cookie whatever it holds")
    func flashCookie() {
        for value in ["a\"b;c,d@x.vn|Mật-khẩu 2026", "", "mct_abc-_="] {
            let encoded = Data(value.utf8).base64URLEncodedString()
            #expect(!encoded.contains(where: { ";,\" =".contains($0) }))
            #expect(Data(base64URLEncoded: encoded).map { String(decoding: $0, as: UTF8.self) } == value)
        }
    }
}
