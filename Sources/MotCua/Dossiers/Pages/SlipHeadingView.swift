/// The QR code every slip page prints: the dossier's public lookup URL, the same URL the PDF slips encode
/// (`DossierSlips.lookupURL`), as inline SVG. Rendered by the templates with triple braces: the SVG is made of
/// the encoder's modules and a fixed label, never of request data.
enum SlipQR {
    static func svg(publicURL: String, code: String) throws -> String {
        try QRCode(text: DossierSlips.lookupURL(publicURL: publicURL, code: code), errorCorrection: .medium)
            .svg(label: "Mã QR tra cứu hồ sơ \(code)")
    }
}

/// The top and bottom of a slip page as the slip was issued: the agency and its desk, the slip's number, the
/// national motto, place and date, the QR code of the lookup URL and the layout version it was issued under.
struct SlipHeadingView: Sendable {
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
        qrSVG = try QRCode(text: heading.lookupURL, errorCorrection: .medium).svg(label: "Mã QR tra cứu hồ sơ \(heading.dossierCode)")
    }
}
