/// Lower-case hexadecimal of bytes (digests, file names). `String(format: "%02x")` per byte went through
/// Foundation's formatter: 3 % of the CPU of a signed-in page, which digests its session cookie.
extension Sequence<UInt8> {
    var hexDigits: String {
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(Self.digit(byte >> 4))
            text.append(Self.digit(byte & 0x0f))
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func digit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
