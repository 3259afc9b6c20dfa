/// What the applicant enters on a draft: the request, the procedure's own fields, how the result comes back.
struct DraftInput: Sendable, Equatable {
    var requestSummary: String = ""
    var values: [String: String] = [:]
    var deliveryMethod: DeliveryMethod?
    var deliveryAddress: String?
}

extension DraftInput {
    /// What a saved draft holds, to check it again at submission or show it in the form.
    init(_ dossier: Dossier) {
        self.init(requestSummary: dossier.requestSummary, values: dossier.formValues,
                  deliveryMethod: dossier.deliveryMethod, deliveryAddress: dossier.deliveryAddress)
    }
}
