// Reed–Solomon error correction over GF(256) for QR codes (ISO/IEC 18004:2015, 7.5.2).
// Our own code, like the rest of QRCode: no Swift package available to this project encodes QR codes, and
// Debian's libqrencode would be a run-time install (`swift run motcua` must work with no extra step).

/// Arithmetic in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1 (0x11D), the field QR codes use.
enum GF256 {
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        // Russian peasant multiplication, reducing by 0x11D as it goes.
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= ((Int(y) >> i) & 1) * Int(x)
        }
        return UInt8(z & 0xFF)
    }
}

/// The generator polynomial of one degree and the remainder (ECC codewords) of a block divided by it.
struct ReedSolomon {
    /// Coefficients from the highest power down, the leading 1 left out.
    let divisor: [UInt8]

    init(degree: Int) {
        precondition((1...255).contains(degree))
        var divisor = [UInt8](repeating: 0, count: degree)
        divisor[degree - 1] = 1
        // Multiply (x - r^0)(x - r^1)…(x - r^(degree-1)), r = 0x02.
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                divisor[j] = GF256.multiply(divisor[j], root)
                if j + 1 < degree { divisor[j] ^= divisor[j + 1] }
            }
            root = GF256.multiply(root, 0x02)
        }
        self.divisor = divisor
    }

    func remainder(_ data: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for i in 0..<divisor.count { result[i] ^= GF256.multiply(divisor[i], factor) }
        }
        return result
    }
}
