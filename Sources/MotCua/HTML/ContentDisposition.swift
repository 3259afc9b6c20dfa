import Foundation

enum ContentDisposition {
    /// `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266 / RFC 5987).
    static func attachment(fileName: String) -> String {
        let ascii = VietnameseText.fold(fileName).unicodeScalars
            .map { $0.isASCII && $0.value >= 0x20 && !"\"\\;".unicodeScalars.contains($0) ? String($0) : "_" }.joined()
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: ".-_"))) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
