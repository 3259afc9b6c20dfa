import Foundation

public enum FormFieldType: String, Sendable, Codable, CaseIterable {
    case text, textarea, number, date, email, phone, select
}

/// One of a procedure's own dossier fields, filled in when filing online.
public struct FormField: Sendable, Codable, Equatable {
    public var key: String
    public var label: String
    public var type: FormFieldType
    public var required: Bool
    public var options: [String]?
    public var maxLength: Int?
}
