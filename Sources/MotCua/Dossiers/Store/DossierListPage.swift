/// One page of a dossier list and where the next one starts (nil on the last page).
struct DossierListPage: Sendable {
    var items: [DossierSummary]
    var next: DossierCursor?
}
