import Foundation
import HTTPTypes
import Hummingbird

/// The applicant's payments over the JSON API (bearer token): what a dossier owes and paid, and starting an
/// online payment (the address to send the payer to). Another account's dossier answers 404.
struct PaymentAPIController: Sendable {
    let service: PaymentService

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        let mine = api.group("dossiers", context: AuthenticatedContext.self)
        mine.get("{id}/payments", use: show)
        mine.post("{id}/payments", use: start)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> DossierPaymentsDTO {
        let (_, payments) = try await service.applicantView(try id(context), applicant: context.user)
        return DossierPaymentsDTO(payments)
    }

    @Sendable func start(_ request: Request, context: AuthenticatedContext) async throws -> EditedResponse<PaymentStartDTO> {
        let id = try id(context)
        let (url, attempt) = try await service.start(id, applicant: context.user, payerIP: context.clientIP)
        return EditedResponse(status: .created, headers: [.location: "/api/v1/dossiers/\(id)/payments"],
                              response: PaymentStartDTO(reference: attempt.reference, amount: attempt.amount.dong, paymentUrl: url,
                                                        expiresAt: attempt.expiresAt ?? attempt.createdAt))
    }

    private func id(_ context: AuthenticatedContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw DossierError.notFound }
        return id
    }
}

struct PaymentStartDTO: ResponseEncodable {
    var reference: String
    var amount: Int64
    var paymentUrl: String
    var expiresAt: Int64
}

struct DossierPaymentsDTO: ResponseEncodable {
    struct Receipt: Codable, Sendable {
        var number: String
        var amount: Int64
        var method: String
        var issuedAt: Int64
        var refunded: Bool
    }
    struct Attempt: Codable, Sendable {
        var reference: String
        var method: String
        var amount: Int64
        var state: String
        var createdAt: Int64
    }
    /// The amount awaiting payment, in đồng (0 when nothing is due).
    var due: Int64
    var dueReason: String?
    var paid: Int64
    var refunded: Int64
    var receipts: [Receipt]
    var attempts: [Attempt]

    init(_ payments: DossierPayments) {
        due = payments.due.dong
        dueReason = payments.openCharge?.reason
        paid = payments.paid.dong
        refunded = payments.refunded.dong
        let refundedIDs = Set(payments.refunds.map(\.receiptID))
        receipts = payments.receipts.map {
            Receipt(number: $0.numberText, amount: $0.amount.dong, method: $0.method.rawValue, issuedAt: $0.issuedAt,
                    refunded: refundedIDs.contains($0.id))
        }
        attempts = payments.attempts.map {
            Attempt(reference: $0.reference, method: $0.method.rawValue, amount: $0.amount.dong, state: $0.state.rawValue,
                    createdAt: $0.createdAt)
        }
    }
}
