import Foundation

/// A ZIP archive of uncompressed ("stored") entries, enough for an XLSX file. Our own rather than
/// ZIPFoundation (the one ZIP package of the local Swift packages): on Linux it links the system zlib through
/// pkg-config, which would make the zlib headers an install step of the server; an XLSX needs no compression
/// to be valid, so this writes the ZIP format's local headers, data and central directory (APPNOTE 6.3.10,
/// version 2.0, no ZIP64: entries and archive under 4 GiB), with CRC-32 as the format requires. Tested
/// against Debian's `unzip -t` and Python's `zipfile`/openpyxl.
struct StoredZip {
    private struct Entry {
        var name: [UInt8]
        var crc: UInt32
        var size: UInt32
        var offset: UInt32
    }

    private(set) var bytes: [UInt8] = []
    private var entries: [Entry] = []
    /// 1980-01-01 00:00 in MS-DOS format: fixed, so the same content makes the same archive.
    private let dosTime: UInt16 = 0
    private let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1

    mutating func add(_ path: String, _ data: [UInt8]) {
        let name = Array(path.utf8)
        let entry = Entry(name: name, crc: CRC32.checksum(data), size: UInt32(data.count), offset: UInt32(bytes.count))
        append32(0x0403_4B50)
        append16(20); append16(0x0800); append16(0)  // version, flags (UTF-8 names), stored
        append16(dosTime); append16(dosDate)
        append32(entry.crc); append32(entry.size); append32(entry.size)
        append16(UInt16(name.count)); append16(0)
        bytes += name
        bytes += data
        entries.append(entry)
    }

    /// The archive with its central directory.
    mutating func finish() -> [UInt8] {
        let directoryStart = UInt32(bytes.count)
        for entry in entries {
            append32(0x0201_4B50)
            append16(20); append16(20); append16(0x0800); append16(0)
            append16(dosTime); append16(dosDate)
            append32(entry.crc); append32(entry.size); append32(entry.size)
            append16(UInt16(entry.name.count)); append16(0); append16(0); append16(0); append16(0)
            append32(0); append32(entry.offset)
            bytes += entry.name
        }
        let directorySize = UInt32(bytes.count) - directoryStart
        append32(0x0605_4B50)
        append16(0); append16(0); append16(UInt16(entries.count)); append16(UInt16(entries.count))
        append32(directorySize); append32(directoryStart); append16(0)
        return bytes
    }

    private mutating func append16(_ value: UInt16) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private mutating func append32(_ value: UInt32) { (0..<4).forEach { bytes.append(UInt8((value >> (8 * $0)) & 0xFF)) } }
}

/// CRC-32 (IEEE 802.3, reflected, as ZIP and PNG use it).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    static func checksum(_ data: [UInt8]) -> UInt32 {
        ~data.reduce(~UInt32(0)) { table[Int(($0 ^ UInt32($1)) & 0xFF)] ^ ($0 >> 8) }
    }
}
