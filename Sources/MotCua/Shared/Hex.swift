/// Lower-case hexadecimal of bytes (digests, file names). `String(format: "%02x")` per byte went through
/// Foundation's formatter: 3 % of the CPU of a signed-in page, which digests its session cookie.
extension Sequence<UInt8> {
    var hexDigits: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
