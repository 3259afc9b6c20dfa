import Foundation
import Testing

@testable import MotCua

/// Base64 with the URL alphabet and no padding (session and CSRF tokens, flash cookies), written byte by byte.
@Suite("Base64 for URLs and cookies")
struct Base64URLTests {
    @Test("Every length and every byte: Foundation's Base64 with - and _ for + and /, no =, and back")
    func roundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let data = Data((0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
            let text = data.base64URLEncodedString()
            let expected = data.base64EncodedString().map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 }.filter { $0 != "=" }
            #expect(text == String(expected))
            #expect(try #require(Data(base64URLEncoded: text)) == data)
        }
        #expect(Data([0xFB, 0xFF]).base64URLEncodedString() == "-_8")
    }
}
