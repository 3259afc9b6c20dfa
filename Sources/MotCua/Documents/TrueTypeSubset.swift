// A subset of a TrueType font for PDF embedding: only the glyphs a document uses, renumbered 0, 1, 2, … in
// order of first use (so the PDF's CIDs are the new glyph ids and `CIDToGIDMap` is `Identity`), with the
// components of composite glyphs (Vietnamese letters such as "ộ" are often a base and marks) appended and
// their references rewritten. Our own code, with PDFWriter (see docs/documents.md).

struct TrueTypeSubset {
    let font: TrueTypeFont
    /// Original glyph id of each new glyph id; the first is always 0 (`.notdef`).
    private(set) var originals: [UInt16] = [0]
    private var newIDs: [UInt16: UInt16] = [0: 0]
    /// The text each used glyph stands for (for the ToUnicode map), by new id.
    private(set) var unicode: [UInt16: Unicode.Scalar] = [:]
    /// Glyphs used in text; the glyphs after them are only components.
    private(set) var usedCount = 1

    init(font: TrueTypeFont) { self.font = font }

    /// The new id (CID) of the glyph of `scalar`, adding it on first use.
    mutating func cid(for scalar: Unicode.Scalar) -> UInt16 {
        let original = font.glyph(for: scalar)
        if let id = newIDs[original] { return id }
        let id = UInt16(originals.count)
        originals.append(original)
        newIDs[original] = id
        unicode[id] = scalar
        usedCount = originals.count
        return id
    }

    /// The advance width of a new id in font units.
    func advance(ofCID cid: UInt16) -> Int { font.advance(of: originals[Int(cid)]) }

    /// The subset font file: glyf, loca (long), hmtx, hhea, maxp, head, and the hinting tables as they are.
    func fontFile() -> [UInt8] {
        var originals = self.originals
        var newIDs = self.newIDs
        // Close over composite components; their own components are reached as the list grows.
        var index = 0
        while index < originals.count {
            for component in TrueTypeSubset.components(of: font.glyphData(originals[index])) where newIDs[component.glyph] == nil {
                newIDs[component.glyph] = UInt16(originals.count)
                originals.append(component.glyph)
            }
            index += 1
        }
        var glyf: [UInt8] = []
        var loca: [UInt8] = []
        var hmtx: [UInt8] = []
        for original in originals {
            loca.appendU32(glyf.count)
            var data = Array(font.glyphData(original))
            for component in TrueTypeSubset.components(of: font.glyphData(original)) {
                let id = newIDs[component.glyph]!
                data[component.offset] = UInt8(id >> 8)
                data[component.offset + 1] = UInt8(id & 0xFF)
            }
            glyf += data
            while glyf.count % 4 != 0 { glyf.append(0) }
            hmtx.appendU16(font.advance(of: original))
            hmtx.appendU16(TrueTypeSubset.leftSideBearing(font, original))
        }
        loca.appendU32(glyf.count)

        var head = Array(font.table("head")!)
        head.replaceU32(at: 8, 0) // checkSumAdjustment, set below
        head.replaceU16(at: 50, 1) // long loca
        var hhea = Array(font.table("hhea")!)
        hhea.replaceU16(at: 34, originals.count)
        var maxp = Array(font.table("maxp")!)
        maxp.replaceU16(at: 4, originals.count)

        var tables: [(String, [UInt8])] = [("glyf", glyf), ("head", head), ("hhea", hhea), ("hmtx", hmtx),
                                          ("loca", loca), ("maxp", maxp)]
        for tag in ["cvt ", "fpgm", "prep"] {
            if let table = font.table(tag) { tables.append((tag, Array(table))) }
        }
        tables.sort { $0.0 < $1.0 }
        var file = TrueTypeSubset.assemble(tables)
        // checkSumAdjustment = 0xB1B0AFBA − checksum of the whole file.
        let headOffset = TrueTypeSubset.tableOffset(in: file, tag: "head")!
        let adjustment = (0xB1B0_AFBA &- TrueTypeSubset.checksum(file[...])) & 0xFFFF_FFFF
        file.replaceU32(at: headOffset + 8, adjustment)
        return file
    }

    private static func leftSideBearing(_ font: TrueTypeFont, _ glyph: UInt16) -> Int {
        let reader = ByteReader(font.bytes)
        let hhea = font.tables["hhea"]!.lowerBound, hmtx = font.tables["hmtx"]!.lowerBound
        let metrics = reader.u16(hhea + 34)
        let g = Int(glyph)
        if g < metrics { return reader.u16(hmtx + 4 * g + 2) }
        return reader.u16(hmtx + 4 * metrics + 2 * (g - metrics))
    }

    /// The glyph references of a composite glyph with the offsets of their ids in its data.
    static func components(of data: ArraySlice<UInt8>) -> [(glyph: UInt16, offset: Int)] {
        let bytes = Array(data)
        let reader = ByteReader(bytes)
        guard bytes.count >= 10, reader.i16(0) < 0 else { return [] }
        var result: [(glyph: UInt16, offset: Int)] = []
        var at = 10
        while at + 4 <= bytes.count {
            let flags = reader.u16(at)
            result.append((UInt16(reader.u16(at + 2)), at + 2))
            at += 4
            at += flags & 0x0001 != 0 ? 4 : 2 // ARG_1_AND_2_ARE_WORDS
            if flags & 0x0008 != 0 { at += 2 } // WE_HAVE_A_SCALE
            else if flags & 0x0040 != 0 { at += 4 } // WE_HAVE_AN_X_AND_Y_SCALE
            else if flags & 0x0080 != 0 { at += 8 } // WE_HAVE_A_TWO_BY_TWO
            if flags & 0x0020 == 0 { break } // MORE_COMPONENTS
        }
        return result
    }

    static func checksum(_ data: ArraySlice<UInt8>) -> Int {
        var sum = 0
        var i = data.startIndex
        while i < data.endIndex {
            var word = 0
            for k in 0..<4 { word = word << 8 | (i + k < data.endIndex ? Int(data[i + k]) : 0) }
            sum = (sum + word) & 0xFFFF_FFFF
            i += 4
        }
        return sum
    }

    static func assemble(_ tables: [(String, [UInt8])]) -> [UInt8] {
        var file: [UInt8] = []
        let count = tables.count
        var power = 1, log = 0
        while power * 2 <= count { power *= 2; log += 1 }
        file.appendU32(0x0001_0000)
        file.appendU16(count)
        file.appendU16(power * 16)
        file.appendU16(log)
        file.appendU16(count * 16 - power * 16)
        var offset = 12 + 16 * count
        for (tag, data) in tables {
            file += Array(tag.utf8)
            file.appendU32(checksum(data[...]))
            file.appendU32(offset)
            file.appendU32(data.count)
            offset += (data.count + 3) / 4 * 4
        }
        for (_, data) in tables {
            file += data
            while file.count % 4 != 0 { file.append(0) }
        }
        return file
    }

    static func tableOffset(in file: [UInt8], tag: String) -> Int? {
        let reader = ByteReader(file)
        for i in 0..<reader.u16(4) where Array(file[12 + 16 * i..<16 + 16 * i]) == Array(tag.utf8) {
            return reader.u32(12 + 16 * i + 8)
        }
        return nil
    }
}

extension [UInt8] {
    mutating func appendU16(_ value: Int) { append(UInt8((value >> 8) & 0xFF)); append(UInt8(value & 0xFF)) }
    mutating func appendU32(_ value: Int) { appendU16((value >> 16) & 0xFFFF); appendU16(value & 0xFFFF) }
    mutating func replaceU16(at offset: Int, _ value: Int) {
        self[offset] = UInt8((value >> 8) & 0xFF)
        self[offset + 1] = UInt8(value & 0xFF)
    }
    mutating func replaceU32(at offset: Int, _ value: Int) {
        replaceU16(at: offset, (value >> 16) & 0xFFFF)
        replaceU16(at: offset + 2, value & 0xFFFF)
    }
}
