/// Filters of a dossier list; nil means any.
struct DossierFilter: Sendable {
    var status: DossierStatus?
    var code: String?
}
