import SQLKit

/// What a dossier's pages and API answers show beside the dossier row: who filed it, its files, history,
/// hand-overs, apologies, delivery, slips and payments, read in one read (one connection, one trip to the
/// database's thread). Read one by one they were up to nine trips, and under load every trip waits its turn
/// for a thread again.
struct DossierRecords: Sendable {
    var applicant: User
    var attachments: [DossierAttachment]
    var events: [DossierEvent]
    var handovers: [DossierHandover]
    var apologies: [DossierApology]
    var delivery: ResultDelivery?
    var slips: [IssuedSlip]
    var payments: DossierPayments
}

extension DossierStore {
    /// The dossier's records as they are now. A dossier whose applicant is gone is "not found".
    func records(of dossier: Dossier) async throws -> DossierRecords {
        try await database.readSeveral { db in
            guard let applicant = try await UserStore.user(id: dossier.applicantID, in: db) else { throw DossierError.notFound }
            return DossierRecords(
                applicant: applicant,
                attachments: try await Self.attachments(dossierID: dossier.id, in: db),
                events: try await Self.events(dossierID: dossier.id, in: db),
                handovers: try await Self.handovers(dossierID: dossier.id, in: db),
                apologies: try await Self.apologies(dossierID: dossier.id, in: db),
                delivery: try await Self.delivery(dossierID: dossier.id, in: db),
                slips: try await Self.slips(dossierID: dossier.id, in: db),
                payments: try await PaymentStore.payments(dossierID: dossier.id, in: db))
        }
    }

    /// Only the files and the history (the applicant's API answer), in one read.
    func filesAndHistory(of dossierID: Int64) async throws -> (attachments: [DossierAttachment], events: [DossierEvent]) {
        try await database.readSeveral { db in
            (try await Self.attachments(dossierID: dossierID, in: db), try await Self.events(dossierID: dossierID, in: db))
        }
    }
}
