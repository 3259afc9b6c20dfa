import Foundation

/// Recognises uploaded files by their bytes, not their names: a renamed .exe is not a PDF, and a PDF
/// cut off half-way (no end marker) is refused too.
public enum ContentSniffer {
    /// What is kept of a file while it streams: its first and last bytes, and its size.
    public struct Sample: Sendable {
        var head: [UInt8] = []
        var tail: [UInt8] = []
        var size: Int64 = 0
        /// A JPEG end-of-image marker (FF D9) somewhere after the start: phones append data after it
        /// (motion photos, maker notes), so it need not be the last two bytes.
        var sawJPEGEnd = false
        private var lastByte: UInt8?
        static let headLength = 16
        static let tailLength = 1024

        mutating func add(_ bytes: some Collection<UInt8>) {
            if head.count < Self.headLength { head.append(contentsOf: bytes.prefix(Self.headLength - head.count)) }
            // Only a file that starts like a JPEG is scanned for its end marker: PDFs and PNGs pass untouched.
            if !sawJPEGEnd, head.starts(with: [0xFF, 0xD8, 0xFF]) {
                var previous = lastByte
                for (offset, byte) in bytes.enumerated() {
                    // Not the FF D8 FF of the start itself: an end marker at offset 3 or later.
                    if byte == 0xD9, previous == 0xFF, size + Int64(offset) >= 3 { sawJPEGEnd = true; break }
                    previous = byte
                }
                lastByte = previous
            }
            size += Int64(bytes.count)
            tail.append(contentsOf: bytes.suffix(Self.tailLength))
            if tail.count > Self.tailLength { tail.removeFirst(tail.count - Self.tailLength) }
        }
    }

    /// The format of a complete, well-ended PDF, JPEG or PNG, or nil.
    ///
    /// A PDF starts with `%PDF-<digit>.<digit>` and ends with its trailer (`trailer` or `startxref`) and
    /// `%%EOF`: a file that only starts like a PDF is not one. A JPEG starts with its SOI marker and has an
    /// EOI marker after it, with or without data appended after that.
    static func format(of sample: Sample) -> DocumentFormat? {
        let head = sample.head, tail = sample.tail
        if isPDFHeader(head), contains(tail, Array("%%EOF".utf8)),
           contains(tail, Array("trailer".utf8)) || contains(tail, Array("startxref".utf8))
        { return .pdf }
        if head.starts(with: [0xFF, 0xD8, 0xFF]), sample.sawJPEGEnd { return .jpg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
           tail.suffix(12).elementsEqual([0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
        { return .png }
        return nil
    }

    static func contentType(_ format: DocumentFormat) -> String {
        switch format {
        case .pdf: "application/pdf"
        case .jpg: "image/jpeg"
        case .png: "image/png"
        }
    }

    private static func isPDFHeader(_ head: [UInt8]) -> Bool {
        let digits: ClosedRange<UInt8> = 0x30...0x39
        return head.count >= 8 && head.starts(with: Array("%PDF-".utf8)) && digits.contains(head[5]) && head[6] == 0x2E
            && digits.contains(head[7])
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

