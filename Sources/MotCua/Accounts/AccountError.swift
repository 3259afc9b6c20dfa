import Foundation

enum AccountError: Error, Equatable {
    case unknownAgency(String)
    case notSaved
    case duplicateEmail
    case invalid(String)
}
