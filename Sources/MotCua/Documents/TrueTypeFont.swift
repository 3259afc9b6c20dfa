// A TrueType font read for PDF embedding: the character map, advance widths, metrics and glyph outlines.
// Our own code, with PDFWriter: no Swift package available to this project reads fonts or writes PDF (see
// docs/documents.md). Only what a PDF needs is read: `head`, `hhea`, `maxp`, `hmtx`, `cmap` (formats 4 and 12),
// `loca`, `glyf`, and `OS/2` when present.

import Foundation

public struct TrueTypeFont: Sendable {
    public enum ParseError: Error, Equatable {
        case missingTable(String)
        case malformed(String)
    }

    /// The PostScript-friendly name put in the PDF (`DejaVuSans`, `DejaVuSans-Bold`).
    public let name: String
    let bytes: [UInt8]
    let tables: [String: Range<Int>]
    public let unitsPerEm: Int
    public let ascender: Int
    public let descender: Int
    public let capHeight: Int
    /// xMin, yMin, xMax, yMax in font units.
    public let boundingBox: (Int, Int, Int, Int)
    let numberOfGlyphs: Int
    let longLoca: Bool
    let advances: [UInt16]
    let characterMap: [UInt32: UInt16]

    public init(name: String, bytes: [UInt8]) throws {
        self.name = name
        self.bytes = bytes
        var reader = ByteReader(bytes)
        guard bytes.count >= 12 else { throw ParseError.malformed("header") }
        let tableCount = reader.u16(4)
        var tables: [String: Range<Int>] = [:]
        for i in 0..<tableCount {
            let entry = 12 + 16 * i
            guard entry + 16 <= bytes.count else { throw ParseError.malformed("table directory") }
            let tag = String(decoding: bytes[entry..<entry + 4], as: UTF8.self)
            let offset = reader.u32(entry + 8), length = reader.u32(entry + 12)
            guard offset + length <= bytes.count else { throw ParseError.malformed(tag) }
            tables[tag] = offset..<offset + length
        }
        for tag in ["head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf"] where tables[tag] == nil {
            throw ParseError.missingTable(tag)
        }
        self.tables = tables
        let head = tables["head"]!.lowerBound, hhea = tables["hhea"]!.lowerBound
        unitsPerEm = reader.u16(head + 18)
        boundingBox = (reader.i16(head + 36), reader.i16(head + 38), reader.i16(head + 40), reader.i16(head + 42))
        longLoca = reader.i16(head + 50) == 1
        ascender = reader.i16(hhea + 4)
        descender = reader.i16(hhea + 6)
        numberOfGlyphs = reader.u16(tables["maxp"]!.lowerBound + 4)
        if let os2 = tables["OS/2"], reader.u16(os2.lowerBound) >= 2, os2.count >= 90 {
            capHeight = reader.i16(os2.lowerBound + 88)
        } else {
            capHeight = ascender
        }
        let metricCount = reader.u16(hhea + 34)
        let hmtx = tables["hmtx"]!.lowerBound
        guard metricCount >= 1, hmtx + 4 * metricCount <= bytes.count else { throw ParseError.malformed("hmtx") }
        var advances: [UInt16] = []
        advances.reserveCapacity(numberOfGlyphs)
        for glyph in 0..<numberOfGlyphs {
            advances.append(UInt16(reader.u16(hmtx + 4 * min(glyph, metricCount - 1))))
        }
        self.advances = advances
        characterMap = try TrueTypeFont.readCharacterMap(&reader, table: tables["cmap"]!)
    }

    /// Loads a font file.
    public init(name: String, contentsOf url: URL) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else { throw ParseError.malformed("cannot read \(url.lastPathComponent)") }
        try self.init(name: name, bytes: [UInt8](data))
    }

    /// The glyph of a character, 0 (`.notdef`) when the font has none.
    public func glyph(for scalar: Unicode.Scalar) -> UInt16 { characterMap[scalar.value] ?? 0 }

    /// The advance width of a glyph in font units.
    public func advance(of glyph: UInt16) -> Int { Int(advances[Int(glyph) < advances.count ? Int(glyph) : 0]) }

    /// The width of `text` at `size` points.
    public func width(of text: String, size: Double) -> Double {
        let units = text.unicodeScalars.reduce(0) { $0 + advance(of: glyph(for: $1)) }
        return Double(units) * size / Double(unitsPerEm)
    }

    /// The outline bytes of one glyph (empty for a glyph without contours, such as the space).
    func glyphData(_ glyph: UInt16) -> ArraySlice<UInt8> {
        let reader = ByteReader(bytes)
        let loca = tables["loca"]!.lowerBound, glyf = tables["glyf"]!
        let index = Int(glyph)
        guard index < numberOfGlyphs else { return [] }
        let start = longLoca ? reader.u32(loca + 4 * index) : reader.u16(loca + 2 * index) * 2
        let end = longLoca ? reader.u32(loca + 4 * index + 4) : reader.u16(loca + 2 * index + 2) * 2
        guard start < end, glyf.lowerBound + end <= glyf.upperBound else { return [] }
        return bytes[glyf.lowerBound + start..<glyf.lowerBound + end]
    }

    func table(_ tag: String) -> ArraySlice<UInt8>? { tables[tag].map { bytes[$0] } }

    /// Prefers the full Unicode map (3,10, format 12), then the BMP map (3,1 or 0,x, format 4).
    private static func readCharacterMap(_ reader: inout ByteReader, table: Range<Int>) throws -> [UInt32: UInt16] {
        let base = table.lowerBound
        let count = reader.u16(base + 2)
        var format4: Int?
        var format12: Int?
        for i in 0..<count {
            let record = base + 4 + 8 * i
            let platform = reader.u16(record), encoding = reader.u16(record + 2)
            let offset = base + reader.u32(record + 4)
            guard offset + 2 <= table.upperBound else { continue }
            let format = reader.u16(offset)
            if format == 12 && (platform == 3 && encoding == 10 || platform == 0) { format12 = format12 ?? offset }
            if format == 4 && (platform == 3 && encoding == 1 || platform == 0) { format4 = format4 ?? offset }
        }
        var map: [UInt32: UInt16] = [:]
        if let offset = format12 {
            let groups = reader.u32(offset + 12)
            for g in 0..<groups {
                let group = offset + 16 + 12 * g
                let start = reader.u32(group), end = reader.u32(group + 4), first = reader.u32(group + 8)
                guard end >= start, end - start < 0x110000 else { continue }
                for code in start...end { map[UInt32(code)] = UInt16(truncatingIfNeeded: first + code - start) }
            }
            return map
        }
        guard let offset = format4 else { throw ParseError.missingTable("cmap format 4 or 12") }
        let segments = reader.u16(offset + 6) / 2
        let ends = offset + 14, starts = ends + 2 * segments + 2
        let deltas = starts + 2 * segments, rangeOffsets = deltas + 2 * segments
        for s in 0..<segments {
            let end = reader.u16(ends + 2 * s), start = reader.u16(starts + 2 * s)
            let delta = reader.u16(deltas + 2 * s), rangeOffset = reader.u16(rangeOffsets + 2 * s)
            guard start <= end, start != 0xFFFF else { continue }
            for code in start...end {
                var glyph: Int
                if rangeOffset == 0 {
                    glyph = (code + delta) & 0xFFFF
                } else {
                    let address = rangeOffsets + 2 * s + rangeOffset + 2 * (code - start)
                    guard address + 2 <= table.upperBound else { continue }
                    glyph = reader.u16(address)
                    if glyph != 0 { glyph = (glyph + delta) & 0xFFFF }
                }
                if glyph != 0 { map[UInt32(code)] = UInt16(glyph) }
            }
        }
        return map
    }
}

/// Big-endian reads at absolute offsets; out-of-range reads give 0 (callers check table bounds).
struct ByteReader {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func u8(_ at: Int) -> Int { at >= 0 && at < bytes.count ? Int(bytes[at]) : 0 }
    func u16(_ at: Int) -> Int { u8(at) << 8 | u8(at + 1) }
    func i16(_ at: Int) -> Int { Int(Int16(bitPattern: UInt16(u16(at)))) }
    func u32(_ at: Int) -> Int { u16(at) << 16 | u16(at + 2) }
}
