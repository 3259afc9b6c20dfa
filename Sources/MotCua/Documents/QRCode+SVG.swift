// A QR code as inline SVG for the print pages: the same symbol the PDF slips draw, made of the encoder's modules
// only (no text from the request goes in), so a page can embed it without JavaScript or an outside service.

import Foundation

extension QRCode {
    /// The symbol on a white square with a quiet zone of `quietZone` modules (the standard asks for four). Each
    /// horizontal run of dark modules is one rectangle of a single path; one SVG unit is one module.
    public func svg(label: String, quietZone: Int = 4) -> String {
        let side = size + 2 * quietZone
        var path = ""
        for row in 0..<size {
            var column = 0
            while column < size {
                guard modules[row][column] else {
                    column += 1
                    continue
                }
                let start = column
                while column < size, modules[row][column] { column += 1 }
                path += "M\(start + quietZone) \(row + quietZone)h\(column - start)v1h-\(column - start)z"
            }
        }
        let label = Self.escaped(label)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="lookup-qr" viewBox="0 0 \(side) \(side)" role="img" aria-label="\(label)" \
            shape-rendering="crispEdges"><title>\(label)</title><rect width="\(side)" height="\(side)" fill="#fff"/>\
            <path fill="#000" d="\(path)"/></svg>
            """
    }

    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
