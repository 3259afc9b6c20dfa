/// The QR code every slip page prints: the dossier's public lookup URL, the same URL the PDF slips encode
/// (`DossierSlips.lookupURL`), as inline SVG. Rendered by the templates with triple braces: the SVG is made of
/// the encoder's modules and a label (the dossier's code, XML-escaped by `QRCode.svg`), never of request data.
enum SlipQR {
    static func svg(publicURL: String, code: String) throws -> String {
        try svg(url: DossierSlips.lookupURL(publicURL: publicURL, code: code), code: code)
    }

    /// `url` as the PDFs draw it (error correction M), labelled with the dossier's code.
    static func svg(url: String, code: String) throws -> String {
        try QRCode(text: url, errorCorrection: .medium).svg(label: "Mã QR tra cứu hồ sơ \(code)")
    }
}

/// The top and bottom of a slip page as the slip was issued: the agency and its desk, the slip's number, the
/// national motto, place and date, the QR code of the lookup URL and the layout version it was issued under.
struct SlipHeadingView: Sendable, Encodable {
    var agencyName: String
    var unitName: String?
    var number: String
    var placeAndDate: String
    var code: String
    var form: String
    var layoutVersion: String
    var qrSVG: String

    init(_ heading: SlipHeading, form: String) throws {
        agencyName = heading.agencyName
        unitName = heading.unitName
        number = heading.slipNumber
        placeAndDate = (heading.place.nonEmpty.map { $0 + ", " } ?? "") + SlipDate.day(heading.issuedAt)
        code = heading.dossierCode
        self.form = form
        layoutVersion = heading.layoutVersion
        // The URL the slip was issued with (the portal's address then), as its PDF encodes it.
        qrSVG = try SlipQR.svg(url: heading.lookupURL, code: heading.dossierCode)
    }
}
