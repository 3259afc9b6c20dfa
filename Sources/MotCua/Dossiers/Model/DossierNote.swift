import Foundation

/// A written note on a step: the applicant's answer to a supplement request, the desk's request or
/// reason, a leader's reason to stop. One length limit and one check for every page and the API.
enum DossierNote {
    static let limit = 2000

    /// The note trimmed; refused when required and empty (with `missing` as the message) or too long.
    static func checked(_ raw: String, requiredBecause missing: String?) throws(DossierError) -> String {
        let note = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if let missing, note.isEmpty { throw .invalidFields(["note": missing]) }
        if note.count > limit { throw .invalidFields(["note": "Nội dung dài quá \(limit) ký tự."]) }
        return note
    }
}
