import Foundation

/// Recognises uploaded files by their bytes, not their names: a renamed .exe is not a PDF, and a PDF
/// cut off half-way (no end marker) is refused too.
public enum ContentSniffer {
    /// What is kept of a file while it streams: its first and last bytes, and its size.
    public struct Sample: Sendable {
        var head: [UInt8] = []
        var tail: [UInt8] = []
        var size: Int64 = 0
        static let headLength = 16
        static let tailLength = 1024

        mutating func add(_ bytes: some Collection<UInt8>) {
            size += Int64(bytes.count)
            if head.count < Self.headLength { head.append(contentsOf: bytes.prefix(Self.headLength - head.count)) }
            tail.append(contentsOf: bytes.suffix(Self.tailLength))
            if tail.count > Self.tailLength { tail.removeFirst(tail.count - Self.tailLength) }
        }
    }

    /// The format of a complete, well-ended PDF, JPEG or PNG, or nil.
    static func format(of sample: Sample) -> DocumentFormat? {
        let head = sample.head, tail = sample.tail
        if head.starts(with: Array("%PDF-".utf8)), contains(tail, Array("%%EOF".utf8)) { return .pdf }
        if head.starts(with: [0xFF, 0xD8, 0xFF]), tail.suffix(2).elementsEqual([0xFF, 0xD9]) { return .jpg }
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

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}

