import Foundation

extension String {
    /// nil for the empty string, for optional template sections.
    var nonEmpty: String? { isEmpty ? nil : self }
}
