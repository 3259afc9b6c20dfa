import Foundation

struct HistoryRow: Sendable, Encodable {
    var at: String
    var text: String
    var note: String?
}

struct DossierPage: PageModel {
    static let template = "dossiers/show"
    var chrome: PageChrome
    var heading: String
    var csrfToken: String
    var id: Int64
    var code: String?
    var statusLabel: String
    var procedureName: String
    var agencyName: String
    var facts: [InfoItem]
    var documents: [DocumentSlot]
    var results: [FileRow]
    var hasResults: Bool
    var history: [HistoryRow]
    /// The review step: read-only, with the submit button.
    var isReview: Bool
    var canEdit: Bool
    var canReview: Bool
    var canSubmit: Bool
    var missingDocuments: String?
    /// The desk's supplement request, while the dossier waits for it.
    var deskRequest: String?
    /// Why the dossier was refused or stopped.
    var deskReason: String?
    /// The agency's latest apology for a delay: its reason and the new appointment.
    var apology: ApologyNotice? = nil
    /// How the result was handed over (the postal tracking number and day, or who collected it).
    var delivery: String? = nil
    /// The slips the agency issued (PDF), kept as issued.
    /// Set after the page is made: `didSet` does not run in `init`.
    var slips: [SlipLink] = [] { didSet { hasSlips = !slips.isEmpty } }
    var hasSlips = false
    var canSupplement: Bool
    var canWithdraw: Bool
    var problem: String?
    var notice: String?
    /// What the dossier owes and paid.
    var payment: PaymentPanel? = nil
    /// The review page: the fees charged at submission, and their total.
    var fees: [String] = []
    var feeTotal: String? = nil
    /// The satisfaction rating: its form once the result is returned, then the rating given and the agency's answer.
    var rating: RatingSection? = nil
}

struct ApologyNotice: Sendable, Encodable {
    var reason: String
    var newDueAt: String
    var at: String
}
