import Foundation
import HTTPTypes
import Hummingbird

/// Paying fees: the applicant's payment page and checkout, the gateway's browser return (display only) and its
/// server-to-server notification, receipts as PDF, and the desk's confirmations, refunds and statement import.
struct PaymentController: Sendable {
    let service: PaymentService
    let statements: StatementImport
    let downloads: AttachmentDownload
    let renderer: HTMLRenderer
    /// The desk's dossier page, shown again with the problem when a confirmation or refund is refused.
    let backOffice: BackOfficeController

    func addRoutes(to router: Router<AppRequestContext>) {
        let mine = router.group("ho-so", context: AuthenticatedContext.self)
        mine.get("{id}/thanh-toan", use: paymentPage)
        mine.post("{id}/thanh-toan/truc-tuyen", use: checkout)
        mine.get("{id}/bien-lai/{receipt}", use: applicantReceipt)
        router.get(RouterPath(GatewayCallbackPaths.vnpayReturn), use: browserReturn)
        router.get(RouterPath(GatewayCallbackPaths.vnpayNotification), use: notification)
        let office = router.group("mot-cua", context: AuthenticatedContext.self)
        office.post("ho-so/{id}/nop-phi", use: confirm)
        office.post("ho-so/{id}/hoan-phi", use: refund)
        office.get("ho-so/{id}/bien-lai/{receipt}", use: staffReceipt)
        office.get("sao-ke", use: statementForm)
        office.post("sao-ke", use: importStatement)
    }

    // MARK: The applicant

    @Sendable func paymentPage(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let (dossier, payments) = try await service.applicantView(try id(context), applicant: context.user)
        return try await page(try await render(dossier, payments, context: context), for: dossier, request: request, context: context)
    }

    /// The payment page's response: its form leads (by the POST's redirect) to the agency's gateway, which the
    /// policy's `form-action` must name.
    private func page(_ html: HTML, for dossier: Dossier, request: Request, context: AuthenticatedContext) async throws -> Response {
        var response = try html.response(from: request, context: context)
        if let origin = service.gateways.origin(for: dossier.agencyCode) {
            response.headers[.contentSecurityPolicy] = SecurityHeaders.contentSecurityPolicy(formActions: [origin])
        }
        return response
    }

    private func render(_ dossier: Dossier, _ payments: DossierPayments, context: AuthenticatedContext, problem: String? = nil,
                        status: HTTPResponse.Status = .ok) async throws -> HTML {
        guard dossier.status == .feeRequested, let charge = payments.openCharge else {
            throw PaymentError.notAwaitingPayment
        }
        let agency = try await service.dossiers.catalog.procedure(agencyCode: dossier.agencyCode, code: dossier.procedureCode)?.agency
        let gateway = service.gateways.gateway(for: dossier.agencyCode)
        let transfer = service.transfer(for: dossier, payments: payments, agency: agency).map {
            TransferView(bankName: $0.bankName, accountNumber: $0.accountNumber, accountHolder: $0.accountHolder,
                         amount: $0.amount.formatted, note: $0.note, qrSVG: $0.qrSVG)
        }
        let attempts = AttemptRow.online(payments)
        return try renderer.render(PaymentPage(
            chrome: PageChrome(title: "Nộp phí, lệ phí hồ sơ \(dossier.code ?? "")", section: .dossiers, context: context),
            csrfToken: context.csrfToken, id: dossier.id, code: dossier.code ?? "", procedureName: dossier.procedureName,
            agencyName: dossier.agencyName, amount: charge.amount.formatted, reason: charge.reason,
            canPayOnline: gateway != nil, onlineLabel: gateway?.kind.label ?? "", transfer: transfer, attempts: attempts,
            hasAttempts: !attempts.isEmpty, problem: problem), status: status)
    }

    @Sendable func checkout(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let id = try id(context)
        do {
            let url = try await service.checkout(id, applicant: context.user, payerIP: context.clientIP)
            return Response(status: .seeOther, headers: [.location: url])
        } catch let error as any PortalErrorConvertible where error.isClientError || error.portalError.status == .serviceUnavailable {
            let (dossier, payments) = try await service.applicantView(id, applicant: context.user)
            return try await page(try await render(dossier, payments, context: context, problem: error.portalError.message,
                                                   status: error.portalError.status), for: dossier, request: request, context: context)
        }
    }

    @Sendable func applicantReceipt(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let (dossier, payments) = try await service.applicantView(try id(context), applicant: context.user)
        return try await receipt(context.parameters.get("receipt", as: Int64.self), of: dossier, payments, context: context)
    }

    // MARK: The gateway

    /// VNPay's browser return: a page saying what the portal recorded for the attempt.
    @Sendable func browserReturn(_ request: Request, context: AppRequestContext) async throws -> HTML {
        let chrome = PageChrome(title: "Kết quả thanh toán", section: .dossiers, context: context)
        switch try await service.browserReturn(vnpayQuery: request.uri.query ?? "") {
        case .refused(let message):
            return try renderer.render(PaymentReturnPage(
                chrome: chrome, heading: "Không xác thực được kết quả thanh toán", message: message, alertClass: "alert-error",
                dossierURL: nil, code: nil), status: .badRequest)
        case .attempt(let attempt, let dossier, let said):
            // A visitor who is not the dossier's applicant learns only that the payment is known.
            let owner = context.identity?.user.id == dossier.applicantID
            let (heading, message, alert): (String, String, String) = switch attempt.state {
            case .paid: ("Thanh toán thành công", "Cổng đã ghi nhận khoản nộp \(attempt.amount.formatted). Biên lai có trên trang hồ sơ.", "alert-success")
            case .failed: ("Thanh toán không thành công", attempt.failure ?? "Giao dịch không thành công.", "alert-error")
            case .pending:
                if case .failed(let reason) = said {
                    ("Thanh toán không thành công", reason + " Bạn có thể thanh toán lại.", "alert-error")
                } else {
                    ("Đang chờ xác nhận thanh toán", "Cổng đang chờ cổng thanh toán xác nhận giao dịch. Trạng thái hồ sơ sẽ được cập nhật khi có xác nhận; bạn không cần thanh toán lại.", "alert-warning")
                }
            }
            return try renderer.render(PaymentReturnPage(
                chrome: chrome, heading: heading, message: message, alertClass: alert,
                dossierURL: owner ? "/ho-so/\(dossier.id)" : nil, code: owner ? dossier.code : nil))
        }
    }

    /// VNPay's IPN: always 200 with the protocol's JSON answer.
    @Sendable func notification(_ request: Request, context: AppRequestContext) async throws -> Response {
        let answer = await service.notify(vnpayQuery: request.uri.query ?? "")
        return Response(status: .ok, headers: [.contentType: answer.contentType, .cacheControl: "no-store"],
                        body: .init(byteBuffer: .init(string: answer.body)))
    }

    // MARK: The desk

    @Sendable func confirm(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try DossierWorkflow.checkWorksOnDossiers(context.user)
        let id = try id(context)
        let form = try await request.decodeForm(ConfirmPaymentForm.self)
        let method = form.method.flatMap(PaymentMethod.init(rawValue:)) ?? .transfer
        let amount: Money
        do {
            amount = try Money(parsing: form.amount ?? "")
        } catch {
            return try await back(id, problem: error.message, status: .unprocessableContent, request: request, context: context)
        }
        do {
            _ = try await service.confirm(id, staff: context.user, method: method, amount: amount,
                                          reference: (form.reference ?? "").trimmingCharacters(in: .whitespaces),
                                          note: (form.note ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
        } catch let error as any PortalErrorConvertible where error.isClientError && !(error is DossierError && error.portalError.status == .notFound) {
            return try await back(id, problem: Self.message(error), status: error.portalError.status, request: request, context: context)
        }
        return Response(status: .seeOther, headers: [.location: "/mot-cua/ho-so/\(id)?thong-bao=nop-phi"])
    }

    @Sendable func refund(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try DossierWorkflow.checkWorksOnDossiers(context.user)
        let id = try id(context)
        let form = try await request.decodeForm(RefundForm.self)
        guard let receiptID = form.receipt.flatMap(Int64.init) else {
            return try await back(id, problem: "Vui lòng chọn biên lai cần hoàn trả.", status: .unprocessableContent, request: request, context: context)
        }
        let method = form.method.flatMap(RefundMethod.init(rawValue:)) ?? .transfer
        do {
            try await service.refund(id, receiptID: receiptID, staff: context.user, method: method,
                                     reference: (form.reference ?? "").trimmingCharacters(in: .whitespaces), reason: form.reason ?? "")
        } catch let error as any PortalErrorConvertible where error.isClientError && error.portalError.status != .notFound {
            return try await back(id, problem: Self.message(error), status: error.portalError.status, request: request, context: context)
        }
        return Response(status: .seeOther, headers: [.location: "/mot-cua/ho-so/\(id)?thong-bao=hoan-phi"])
    }

    @Sendable func staffReceipt(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let (dossier, payments) = try await service.staffView(try id(context), staff: context.user)
        return try await receipt(context.parameters.get("receipt", as: Int64.self), of: dossier, payments, context: context)
    }

    @Sendable func statementForm(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        try checkReceptionist(context.user)
        return try renderer.render(StatementPage(
            chrome: PageChrome(title: "Đối chiếu sao kê ngân hàng", section: .backOffice, context: context),
            csrfToken: context.csrfToken, rows: [], hasRows: false, summary: nil, problem: nil))
    }

    @Sendable func importStatement(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        try checkReceptionist(context.user)
        func page(_ rows: [StatementRow], summary: String?, problem: String?, status: HTTPResponse.Status) throws -> HTML {
            try renderer.render(StatementPage(
                chrome: PageChrome(title: "Đối chiếu sao kê ngân hàng", section: .backOffice, context: context),
                csrfToken: context.csrfToken, rows: rows, hasRows: !rows.isEmpty, summary: summary, problem: problem), status: status)
        }
        guard let boundary = MultipartFileStream.boundary(from: request.headers[.contentType]) else {
            return try page([], summary: nil, problem: "Vui lòng chọn tệp sao kê (CSV).", status: .badRequest)
        }
        var bytes: [UInt8] = []
        for try await chunk in MultipartFileStream(body: request.body, boundary: boundary) {
            bytes += chunk.readableBytesView
            guard bytes.count <= BankStatement.maximumBytes else {
                return try page([], summary: nil, problem: "Tệp sao kê lớn quá 8 MB; hãy chia nhỏ theo tháng.", status: .contentTooLarge)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return try page([], summary: nil, problem: "Tệp sao kê phải là CSV mã hóa UTF-8.", status: .unprocessableContent)
        }
        do {
            let report = try await statements.run(text, staff: context.user)
            let rows = report.rows.map {
                StatementRow(line: $0.line, reference: $0.reference, amount: $0.amount, note: $0.note, outcome: $0.outcome.message,
                             matched: $0.outcome.matched)
            }
            return try page(rows, summary: "Đã ghi nhận \(report.matched) khoản nộp; \(report.unmatched) dòng không khớp (xem lý do bên dưới).",
                            problem: nil, status: .ok)
        } catch let error as PaymentError {
            return try page([], summary: nil, problem: error.message, status: error.portalError.status)
        }
    }

    // MARK: Helpers

    private func checkReceptionist(_ user: User) throws {
        guard user.role == .receptionist else { throw DossierError.forbidden("Chỉ cán bộ tiếp nhận nhập sao kê ngân hàng.") }
    }

    private func id(_ context: AuthenticatedContext) throws -> Int64 {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw DossierError.notFound }
        return id
    }

    private func back(_ id: Int64, problem: String, status: HTTPResponse.Status, request: Request,
                      context: AuthenticatedContext) async throws -> Response {
        let dossier = try await service.workflow.dossier(id, for: context.user)
        return try await backOffice.render(dossier, context: context, problem: problem, status: status).response(from: request, context: context)
    }

    private static func message(_ error: any PortalErrorConvertible) -> String {
        if let dossier = error as? DossierError, case .invalidFields(let fields) = dossier, let first = fields.messages.values.sorted().first {
            return first
        }
        return error.portalError.message
    }

    private func receipt(_ receiptID: Int64?, of dossier: Dossier, _ payments: DossierPayments, context: some RequestContext) async throws -> Response {
        guard let receipt = payments.receipts.first(where: { $0.id == receiptID }) else { throw PaymentError.receiptNotFound }
        let (sha256, size) = try await service.store.receipts.pdf(for: receipt)
        return try await downloads.storedPDF(sha256: sha256, size: size, fileName: "bien-lai-\(receipt.number)-\(receipt.year)-\(dossier.code ?? "").pdf",
                                             context: context)
    }
}

struct ConfirmPaymentForm: Decodable {
    var method: String?
    var amount: String?
    var reference: String?
    var note: String?
}

struct RefundForm: Decodable {
    var receipt: String?
    var method: String?
    var reference: String?
    var reason: String?
}
