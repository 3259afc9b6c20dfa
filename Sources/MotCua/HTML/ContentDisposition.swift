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

extension ContentDisposition {
    /// The parameters of a `Content-Disposition` header value (`form-data; name="file"; filename="a;b.pdf"`),
    /// names lower-cased: quoted strings keep their `;` and `=`, backslash escapes are undone (RFC 7578, RFC 2045).
    static func parameters(of value: String) -> [String: String] {
        var result: [String: String] = [:]
        var scalars = Substring(value).unicodeScalars[...]
        // Skip the disposition type.
        while let first = scalars.first, first != ";" { scalars.removeFirst() }
        while !scalars.isEmpty {
            scalars = scalars.drop { $0 == ";" || $0 == " " || $0 == "\t" }
            var name = String.UnicodeScalarView()
            while let c = scalars.first, c != "=", c != ";" { name.append(c); scalars.removeFirst() }
            guard scalars.first == "=" else { continue }
            scalars.removeFirst()
            var parsed = String.UnicodeScalarView()
            if scalars.first == "\"" {
                scalars.removeFirst()
                while let c = scalars.first {
                    scalars.removeFirst()
                    if c == "\\", let next = scalars.first { parsed.append(next); scalars.removeFirst(); continue }
                    if c == "\"" { break }
                    parsed.append(c)
                }
            } else {
                while let c = scalars.first, c != ";" { parsed.append(c); scalars.removeFirst() }
            }
            let key = String(name).trimmingCharacters(in: .whitespaces).lowercased()
            if !key.isEmpty, result[key] == nil { result[key] = String(parsed).trimmingCharacters(in: .whitespaces) }
        }
        return result
    }

    /// The file name a part carries: `filename*` (RFC 5987, UTF-8 percent-encoded) when present and readable,
    /// otherwise `filename`; nil for a part that is not a file.
    static func fileName(of value: String) -> String? {
        let parameters = parameters(of: value)
        if let extended = parameters["filename*"] {
            let parts = extended.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count == 3, parts[0].lowercased() == "utf-8", let decoded = String(parts[2]).removingPercentEncoding {
                return decoded
            }
        }
        return parameters["filename"]
    }
}