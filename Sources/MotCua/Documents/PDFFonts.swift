// The fonts the slips are printed in: DejaVu Sans and DejaVu Sans Bold, shipped as package resources
// (Resources/Fonts, with their licence), so Vietnamese text needs nothing installed on the server.

import Foundation

public enum PDFFontWeight: Sendable {
    case regular, bold
}

public struct PDFFonts: Sendable {
    public let regular: TrueTypeFont
    public let bold: TrueTypeFont

    public init(regular: TrueTypeFont, bold: TrueTypeFont) {
        self.regular = regular
        self.bold = bold
    }

    public subscript(weight: PDFFontWeight) -> TrueTypeFont { weight == .bold ? bold : regular }

    /// Reads the bundled DejaVu fonts (about 1.4 MB; load once, in the composition root, and share).
    public static func bundled() throws -> PDFFonts {
        func load(_ file: String) throws -> TrueTypeFont {
            guard let url = Bundle.module.url(forResource: file, withExtension: "ttf", subdirectory: "Resources/Fonts") else {
                throw TrueTypeFont.ParseError.missingTable("font resource \(file).ttf")
            }
            return try TrueTypeFont(name: file, contentsOf: url)
        }
        return PDFFonts(regular: try load("DejaVuSans"), bold: try load("DejaVuSans-Bold"))
    }
}
