import Testing

@testable import MotCua

/// What a dossier keeps of each issued slip (dossier_slips.content) reads back as the same values, and the
/// benchmark's sample slips are the ones the renderer really draws.
@Suite("Slip content")
struct SlipContentTests {
    @Test("Every form's values survive JSON unchanged, and the form is kept apart")
    func roundTrip() throws {
        for content in SlipBenchmark.samples() {
            let json = try content.json()
            #expect(try SlipContent(form: content.form, json: json) == content, "mẫu \(content.form)")
            #expect(json.contains("Nguyễn Thị Thu Hằng"))
        }
        #expect(throws: (any Error).self) { try SlipContent(form: "06", json: "{}") }
        #expect(throws: (any Error).self) { try SlipContent(form: "02", json: #"{"heading": 1}"#) }
    }

    @Test("bench-slips times real renders: a PDF of each form and the QR SVG")
    func benchmark() throws {
        let figures = try SlipBenchmark.run(count: 2, fonts: try PDFFonts.bundled())
        #expect(figures.map(\.form) == ["01", "02", "03", "04", "05", "QR SVG"])
        #expect(figures.allSatisfy { $0.count == 2 && $0.bytes > 1000 && $0.meanMilliseconds > 0 })
    }
}
