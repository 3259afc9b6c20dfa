import Foundation

enum DossierCode {
    /// The day part of a code: the date in Vietnam (UTC+7), "yyMMdd".
    static func day(at date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%02d%02d%02d", parts.year! % 100, parts.month!, parts.day!)
    }

    static func make(agencyCode: String, day: String, sequence: Int) -> String {
        "\(agencyCode)-\(day)-\(String(format: "%04d", sequence))"
    }

    /// The shape of a code, checked before any lookup.
    static func isWellFormed(_ code: String) -> Bool {
        let parts = code.split(separator: "-")
        guard parts.count == 3, code.utf8.count <= 48 else { return false }
        return Identifiers.isAgencyCode(String(parts[0]))
            && parts[1].utf8.count == 6 && parts[1].utf8.allSatisfy { (0x30...0x39).contains($0) }
            && parts[2].utf8.count >= 4 && parts[2].utf8.allSatisfy { (0x30...0x39).contains($0) }
    }
}
