import Foundation
import Testing

@testable import MotCua

@Suite("Recognising uploads by their bytes")
struct ContentSnifferTests {
    /// Feeds `bytes` in chunks of `chunk` bytes, as an upload arrives.
    private static func format(_ bytes: [UInt8], chunk: Int = 7) -> DocumentFormat? {
        var sample = ContentSniffer.Sample()
        for start in stride(from: 0, to: bytes.count, by: chunk) { sample.add(bytes[start..<min(start + chunk, bytes.count)]) }
        return ContentSniffer.format(of: sample)
    }

    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [UInt8](repeating: 0x41, count: 300) + [0xFF, 0xD9]

    @Test("A JPEG with data after its end marker (phones append it) is a JPEG; one cut off before the marker is not")
    func jpegTrailers() {
        #expect(Self.format(Self.jpeg) == .jpg)
        let motionPhoto = Self.jpeg + Array("MotionPhoto_Data".utf8) + [UInt8](repeating: 0x00, count: 5000)
        #expect(Self.format(motionPhoto) == .jpg)
        // The marker split between two chunks.
        #expect(Self.format(motionPhoto, chunk: Self.jpeg.count - 1) == .jpg)
        #expect(Self.format(Array(Self.jpeg.dropLast(2))) == nil)
    }

    @Test("A PDF needs its version, its trailer and %%EOF: a file that only starts like a PDF is not one")
    func pdfStructure() {
        #expect(Self.format(Array("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)) == .pdf)
        #expect(Self.format(Array("%PDF-1.7\n1 0 obj<<>>endobj\nstartxref\n9\n%%EOF\n".utf8)) == .pdf)
        #expect(Self.format(Array("%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n".utf8)) == nil)
        #expect(Self.format(Array("%PDF-\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)) == nil)
        #expect(Self.format(Array("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n".utf8)) == nil)
    }
}

@Suite("Multipart file names")
struct MultipartFileNameTests {
    @Test("File names are read from the Content-Disposition parameters: quoted ; and =, escapes, filename* in UTF-8", arguments: [
        (#"form-data; name="file"; filename="don.pdf""#, "don.pdf"),
        (#"form-data; name="file"; filename="a;b=c.pdf""#, "a;b=c.pdf"),
        (#"form-data; name="file"; filename="x\"y.pdf""#, #"x"y.pdf"#),
        (#"form-data; name="file"; filename="Don.pdf"; filename*=UTF-8''%C4%90%C6%A1n%20xin.pdf"#, "Đơn xin.pdf"),
        (#"form-data; name="notfilename=x.exe"; filename="that.pdf""#, "that.pdf"),
        (#"form-data; name=file; filename=plain.pdf"#, "plain.pdf"),
    ])
    func names(header: String, expected: String) {
        #expect(ContentDisposition.fileName(of: header) == expected)
    }

    @Test("A part without a file name is not a file")
    func notAFile() {
        #expect(ContentDisposition.fileName(of: #"form-data; name="note""#) == nil)
        #expect(ContentDisposition.fileName(of: #"form-data; name="filename""#) == nil)
    }
}
