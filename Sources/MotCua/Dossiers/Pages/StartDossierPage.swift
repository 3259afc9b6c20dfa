import Foundation
import Hummingbird

/// A field of a procedure's own form, or the request summary: input, textarea or select.
struct DynamicField: Sendable, Encodable {
    var id: String
    var name: String
    var label: String
    var required: Bool
    var value: String
    var error: String?
    var inputType: String
    var isTextarea: Bool
    var isSelect: Bool
    var options: [SelectOption]
    var maxLength: Int?

    init(_ field: FormField, value: String, error: String?) {
        id = "truong-" + field.key.replacingOccurrences(of: "_", with: "-")
        name = "f_" + field.key
        label = field.label
        required = field.required
        self.value = value
        self.error = error
        isTextarea = field.type == .textarea
        isSelect = field.type == .select
        inputType = switch field.type {
        case .number: "number"
        case .date: "date"
        case .email: "email"
        case .phone: "tel"
        default: "text"
        }
        options = (field.options ?? []).map { SelectOption(value: $0, label: $0, selected: $0 == value) }
        maxLength = field.maxLength
    }
}

struct DeliveryChoice: Sendable, Encodable {
    var value: String
    var label: String
    var checked: Bool
    var id: String
}

struct StartDossierPage: PageModel {
    static let template = "dossiers/start"
    var chrome: PageChrome
    var csrfToken: String
    var action: String
    /// Editing a saved draft: where "cancel" leads back to.
    var cancelURL: String?
    var applicant: [InfoItem]
    var procedureName: String
    var agencyName: String
    var documents: [String]
    var summary: String
    var summaryError: String?
    var fields: [DynamicField]
    var deliveries: [DeliveryChoice]
    var deliveryError: String?
    var deliveryAddress: String
    var deliveryAddressError: String?
    var problem: String?
    var notice: String?
}
