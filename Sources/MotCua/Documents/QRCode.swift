// A QR code encoder (ISO/IEC 18004:2015): byte mode (UTF-8), levels L/M/Q/H, versions 1–40, Reed–Solomon
// codewords, block interleaving, all eight masks chosen by the penalty rules, format and version information.
//
// Our own code: no Swift package available to this project (see docs/documents.md) encodes QR codes, and
// Debian's libqrencode would be a run-time install, while `swift run motcua` must work on a fresh machine with
// no extra step. It is small and checked module by module against `qrencode` and decoded by `zbarimg` in
// Tests/MotCuaTests/Documents/QRCodeTests.swift. The mask penalty follows libqrencode's reading of the
// standard (runs at the edge count the quiet zone as light; a 1:1:3:1:1 pattern scores once when light on
// either side), so both pick the same mask.

/// A QR code symbol: a square of dark (`true`) and light modules, without the quiet zone.
public struct QRCode: Sendable, Equatable {
    public enum ErrorCorrection: Int, Sendable, CaseIterable {
        case low, medium, quartile, high

        /// The two format bits of the level (L = 01, M = 00, Q = 11, H = 10).
        var formatBits: Int { [1, 0, 3, 2][rawValue] }
    }

    public enum EncodingError: Error, Equatable {
        case dataTooLong(bytes: Int)
    }

    public let version: Int
    public let errorCorrection: ErrorCorrection
    public let mask: Int
    /// `modules[row][column]`, `true` for dark.
    public let modules: [[Bool]]

    public var size: Int { modules.count }

    public subscript(row: Int, column: Int) -> Bool { modules[row][column] }

    /// Encodes `text` as UTF-8 in byte mode, in the smallest version from `minVersion` that holds it.
    /// `mask` forces one mask (0–7) instead of the best by penalty.
    public init(text: String, errorCorrection: ErrorCorrection = .medium, minVersion: Int = 1, mask forcedMask: Int? = nil) throws {
        try self.init(bytes: Array(text.utf8), errorCorrection: errorCorrection, minVersion: minVersion, mask: forcedMask)
    }

    public init(bytes: [UInt8], errorCorrection: ErrorCorrection = .medium, minVersion: Int = 1, mask forcedMask: Int? = nil) throws {
        precondition((1...40).contains(minVersion) && (forcedMask.map { (0...7).contains($0) } ?? true))
        // Mode indicator (4 bits) + character count (8 bits up to version 9, 16 after) + 8 bits a byte.
        guard let version = (minVersion...40).first(where: { version in
            4 + (version < 10 ? 8 : 16) + 8 * bytes.count <= QRTables.dataCodewords(version, errorCorrection) * 8
                && (version >= 10 || bytes.count < 256)
        }) else {
            throw EncodingError.dataTooLong(bytes: bytes.count)
        }
        let capacity = QRTables.dataCodewords(version, errorCorrection)
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: version < 10 ? 8 : 16)
        for byte in bytes { bits.append(Int(byte), count: 8) }
        bits.append(0, count: min(4, capacity * 8 - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var data = bits.bytes
        var pad: UInt8 = 0xEC
        while data.count < capacity {
            data.append(pad)
            pad ^= 0xEC ^ 0x11
        }
        let codewords = QRCode.interleavedWithECC(data, version: version, level: errorCorrection)

        var matrix = QRMatrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.drawCodewords(codewords)
        // The first of the lowest penalties, as libqrencode picks.
        let penalties = (0..<8).map { matrix.penalty(mask: $0, level: errorCorrection) }
        let chosen = forcedMask ?? penalties.indices.min { penalties[$0] < penalties[$1] }!
        matrix.applyMask(chosen)
        matrix.drawFormatBits(level: errorCorrection, mask: chosen)
        self.version = version
        self.errorCorrection = errorCorrection
        self.mask = chosen
        self.modules = matrix.modules
    }

    /// Splits the data codewords into blocks, appends each block's ECC and interleaves them (7.6).
    static func interleavedWithECC(_ data: [UInt8], version: Int, level: ErrorCorrection) -> [UInt8] {
        let blockCount = QRTables.blockCount[level.rawValue][version]
        let eccLength = QRTables.eccCodewordsPerBlock[level.rawValue][version]
        let rawCodewords = QRTables.rawDataModules(version) / 8
        let shortBlockCount = blockCount - rawCodewords % blockCount
        let shortBlockLength = rawCodewords / blockCount
        let rs = ReedSolomon(degree: eccLength)
        var blocks: [[UInt8]] = []
        var offset = 0
        for i in 0..<blockCount {
            let length = shortBlockLength - eccLength + (i < shortBlockCount ? 0 : 1)
            var block = Array(data[offset..<offset + length])
            offset += length
            let ecc = rs.remainder(block)
            // A placeholder keeps short and long blocks aligned while interleaving.
            if i < shortBlockCount { block.append(0) }
            blocks.append(block + ecc)
        }
        var result: [UInt8] = []
        result.reserveCapacity(rawCodewords)
        for i in 0..<blocks[0].count {
            for (j, block) in blocks.enumerated() where i != shortBlockLength - eccLength || j >= shortBlockCount {
                result.append(block[i])
            }
        }
        return result
    }
}

/// Bits appended most significant first.
struct BitBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var count = 0

    mutating func append(_ value: Int, count length: Int) {
        for i in stride(from: length - 1, through: 0, by: -1) {
            if count % 8 == 0 { bytes.append(0) }
            if (value >> i) & 1 == 1 { bytes[count / 8] |= UInt8(0x80 >> (count % 8)) }
            count += 1
        }
    }
}

/// Capacity tables of ISO/IEC 18004 (table 9), indexed by level then version (index 0 unused).
enum QRTables {
    static let eccCodewordsPerBlock: [[Int]] = [
        [-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]
    static let blockCount: [[Int]] = [
        [-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [-1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [-1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]

    /// Modules left for data and ECC once the function patterns are drawn.
    static func rawDataModules(_ version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    static func dataCodewords(_ version: Int, _ level: QRCode.ErrorCorrection) -> Int {
        rawDataModules(version) / 8 - eccCodewordsPerBlock[level.rawValue][version] * blockCount[level.rawValue][version]
    }

    /// Centres of the alignment patterns on each axis (annex E).
    static func alignmentPositions(_ version: Int) -> [Int] {
        guard version > 1 else { return [] }
        let count = version / 7 + 2
        let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
        let size = version * 4 + 17
        var result: [Int] = []
        var position = size - 7
        for _ in 0..<(count - 1) {
            result.insert(position, at: 0)
            position -= step
        }
        return [6] + result
    }
}
