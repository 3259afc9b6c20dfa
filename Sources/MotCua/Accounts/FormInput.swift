import Foundation

/// One labelled input, with its value kept and its error, for `partials/field`.
struct FormInput: Sendable, Encodable {
    var id: String
    var name: String
    var label: String
    var type: String = "text"
    var value: String = ""
    var error: String?
    var hint: String?
    var autocomplete: String?
    var required: Bool = true
    var maxLength: Int?
    var describedBy: String?

    init(_ name: String, _ label: String, type: String = "text", value: String = "", errors: FieldErrors = FieldErrors(),
         hint: String? = nil, autocomplete: String? = nil, required: Bool = true, maxLength: Int? = 200) {
        self.id = name.replacingOccurrences(of: "_", with: "-")
        self.name = name
        self.label = label
        self.type = type
        self.value = type == "password" ? "" : value
        self.error = errors[name]
        self.hint = hint
        self.autocomplete = autocomplete
        self.required = required
        self.maxLength = maxLength
        let described = [hint == nil ? nil : "\(id)-goi-y", error == nil ? nil : "\(id)-loi"].compactMap { $0 }
        self.describedBy = described.isEmpty ? nil : described.joined(separator: " ")
    }
}
