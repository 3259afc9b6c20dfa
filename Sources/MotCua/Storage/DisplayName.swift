import Foundation

/// Names shown for uploaded files: the client's name reduced to a safe display string. Never a path.
enum DisplayName {
    static func sanitize(_ raw: String, fallback: String) -> String {
        let lastComponent = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let cleaned = lastComponent.unicodeScalars
            .filter { $0.value >= 0x20 && $0.value != 0x7F && !"<>:\"|?*".unicodeScalars.contains($0) }
            .map(String.init).joined()
            .trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ".")))
        return cleaned.isEmpty ? fallback : String(cleaned.prefix(120))
    }

    /// `name` with the extension of `format`: whoever opens the download later gets what it really is.
    static func withExtension(_ name: String, of format: DocumentFormat) -> String {
        let allowed: Set<String> = switch format {
        case .pdf: ["pdf"]
        case .jpg: ["jpg", "jpeg"]
        case .png: ["png"]
        }
        let dot = name.lastIndex(of: ".")
        if let dot, allowed.contains(name[name.index(after: dot)...].lowercased()) { return name }
        let stem = dot.map { String(name[..<$0]) } ?? name
        return (stem.isEmpty ? "tep" : stem) + "." + format.rawValue
    }
}
