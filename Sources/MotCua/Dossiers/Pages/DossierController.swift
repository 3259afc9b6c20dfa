import Foundation
import HTTPTypes
import Hummingbird

/// The citizen's pages for filing and following dossiers: start a dossier, attach files to each required
/// document, submit, withdraw, and the list of one's own dossiers. Someone else's dossier is "not found".
struct DossierController: Sendable {
    let service: DossierService
    let uploader: AttachmentUploader
    let downloads: AttachmentDownload
    let renderer: HTMLRenderer
    let payments: PaymentStore
    let ratings: RatingStore

    func addRoutes(to router: Router<AppRequestContext>) {
        let start = router.group("thu-tuc", context: AuthenticatedContext.self)
        start.get("{agency}/{code}/nop-ho-so", use: startForm)
        start.post("{agency}/{code}/nop-ho-so", use: create)
        let mine = router.group("ho-so", context: AuthenticatedContext.self)
        mine.get(use: list)
        mine.get("{id}", use: show)
        mine.get("{id}/xem-lai", use: review)
        mine.get("{id}/sua", use: editForm)
        mine.post("{id}/sua", use: edit)
        mine.post("{id}/bo-sung", use: supplement)
        mine.post("{id}/tep/{position}", use: upload)
        mine.get("{id}/tep-dinh-kem/{attachment}", use: download)
        mine.get("{id}/phieu/{slip}", use: slip)
        mine.post("{id}/nop", use: submit)
        mine.get("{id}/da-nop", use: submitted)
        mine.post("{id}/rut", use: withdraw)
        mine.post("{id}/danh-gia", use: rate)
    }

    // MARK: Starting a dossier

    private func procedure(_ context: AuthenticatedContext) async throws -> Procedure {
        guard let (agency, code) = CatalogPath.procedureKey(context.parameters),
              let procedure = try await service.catalog.procedure(agencyCode: agency, code: code)
        else { throw PortalError.notFound("Không tìm thấy thủ tục hành chính này.") }
        do { try DossierService.checkMayFile(context.user, procedure) } catch DossierError.refused(let message) {
            throw PortalError(status: .forbidden, message: message)
        }
        return procedure
    }

    @Sendable func startForm(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        try renderer.render(startPage(try await procedure(context), context: context, input: .init(), errors: FieldErrors()))
    }

    @Sendable func create(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let procedure = try await procedure(context)
        let input = try await Self.draftInput(request, procedure: procedure)
        var errors = Self.validateForm(input, procedure: procedure)
        if errors.isEmpty {
            do {
                let draft = try await service.createDraft(
                    applicant: context.user, agencyCode: procedure.agency.code, procedureCode: procedure.code, input: input)
                return Response(status: .seeOther, headers: [.location: "/ho-so/\(draft.id)?thong-bao=da-tao"])
            } catch DossierError.invalidFields(let found) {
                errors = found
            }
        }
        return try renderer.render(startPage(procedure, context: context, input: input, errors: errors), status: .unprocessableContent)
            .response(from: request, context: context)
    }

    /// The form of a saved draft, to change what was entered (files stay).
    @Sendable func editForm(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        let (dossier, procedure) = try await editableDraft(context)
        let input = DraftInput(dossier)
        return try renderer.render(startPage(procedure, context: context, input: input, errors: FieldErrors(), editing: dossier))
    }

    @Sendable func edit(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let (dossier, procedure) = try await editableDraft(context)
        let input = try await Self.draftInput(request, procedure: procedure)
        var errors = Self.validateForm(input, procedure: procedure)
        if errors.isEmpty {
            do {
                _ = try await service.updateDraft(dossierID: dossier.id, applicant: context.user, input: input)
                return Response(status: .seeOther, headers: [.location: "/ho-so/\(dossier.id)?thong-bao=da-luu"])
            } catch DossierError.invalidFields(let found) {
                errors = found
            }
        }
        return try renderer.render(startPage(procedure, context: context, input: input, errors: errors, editing: dossier),
                                   status: .unprocessableContent).response(from: request, context: context)
    }

    private func editableDraft(_ context: AuthenticatedContext) async throws -> (Dossier, Procedure) {
        let dossier = try await owned(context)
        guard dossier.status == .draft else {
            throw PortalError(status: .conflict, message: "Hồ sơ đã nộp không sửa được thông tin; hãy theo dõi trên trang hồ sơ.")
        }
        return (dossier, try await service.procedure(of: dossier))
    }

    private static func draftInput(_ request: Request, procedure: Procedure) async throws -> DraftInput {
        let form = try await request.formValues()
        var input = DraftInput()
        input.requestSummary = (form["request_summary"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        for field in procedure.formFields {
            input.values[field.key] = (form["f_" + field.key] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        input.deliveryMethod = form["delivery_method"].flatMap(DeliveryMethod.init(rawValue:))
        input.deliveryAddress = form["delivery_address"]?.trimmingCharacters(in: .whitespacesAndNewlines)
        return input
    }

    /// The form asks for the delivery choice at once (the API lets a draft leave it for later).
    private static func validateForm(_ input: DraftInput, procedure: Procedure) -> FieldErrors {
        var errors = DossierService.validate(input, for: procedure)
        if input.deliveryMethod == nil { errors["delivery_method"] = "Vui lòng chọn cách nhận kết quả." }
        return errors
    }

    private func startPage(_ procedure: Procedure, context: AuthenticatedContext, input: DraftInput, errors: FieldErrors,
                           editing draft: Dossier? = nil) -> StartDossierPage {
        StartDossierPage(
            chrome: PageChrome(title: "Nộp hồ sơ: \(procedure.name)", section: draft == nil ? .catalog : .dossiers, context: context),
            csrfToken: context.csrfToken,
            action: draft.map { "/ho-so/\($0.id)/sua" } ?? "/thu-tuc/\(procedure.agency.code)/\(procedure.code)/nop-ho-so",
            cancelURL: draft.map { "/ho-so/\($0.id)" }, applicant: ApplicantFacts.items(context.user),
            procedureName: procedure.name, agencyName: procedure.agency.name,
            documents: procedure.requiredDocuments.map { "\($0.name)\($0.mandatory ? "" : " (không bắt buộc)")" },
            summary: input.requestSummary, summaryError: errors["request_summary"],
            fields: procedure.formFields.map { DynamicField($0, value: input.values[$0.key] ?? "", error: errors[$0.key]) },
            deliveries: procedure.resultDelivery.map {
                DeliveryChoice(value: $0.rawValue, label: $0.label, checked: $0 == input.deliveryMethod, id: "nhan-\($0.rawValue)")
            },
            deliveryError: errors["delivery_method"], deliveryAddress: input.deliveryAddress ?? "",
            deliveryAddressError: errors["delivery_address"],
            problem: errors.isEmpty ? nil : (errors["form"] ?? "Vui lòng sửa các mục được đánh dấu."))
    }

    // MARK: One dossier

    private func owned(_ context: AuthenticatedContext) async throws -> Dossier {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw DossierError.notFound }
        return try await service.ownedDossier(id, by: context.user)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        let notice = request.queryValues["thong-bao"].flatMap(Notice.init(rawValue:))?.text
        return try await render(try await owned(context), context: context, notice: notice)
    }

    /// The review step before submitting: everything the agency will receive, and the submit button.
    @Sendable func review(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let dossier = try await owned(context)
        guard dossier.status == .draft else { return Response(status: .seeOther, headers: [.location: "/ho-so/\(dossier.id)"]) }
        return try await render(dossier, context: context, review: true).response(from: request, context: context)
    }

    private func render(_ dossier: Dossier, context: AuthenticatedContext, review: Bool = false, notice: String? = nil,
                        problem: String? = nil, slotError: SlotError? = nil, status: HTTPResponse.Status = .ok,
                        rating: RatingSection? = nil) async throws -> HTML {
        let procedure = try await service.catalog.procedure(agencyCode: dossier.agencyCode, code: dossier.procedureCode)
        let records = try await service.store.records(of: dossier)
        let attachments = records.attachments
        let canUpload = !review && dossier.acceptsApplicantFiles
        let documents = DocumentSlot.slots(
            procedure: procedure, attachments: attachments, fileURL: { "/ho-so/\(dossier.id)/tep-dinh-kem/\($0.id)" },
            uploadURL: canUpload ? { "/ho-so/\(dossier.id)/tep/\($0 + 1)?_csrf=\(context.csrfToken)" } : nil,
            limits: service.limits, error: slotError)
        let missing = documents.filter { $0.mandatory && !$0.hasFiles }.map(\.name)
        let results = dossier.resultsVisibleToApplicant ? attachments.filter { $0.kind == .result }.map {
            FileRow(name: $0.displayName, size: ProcedurePage.sizeText($0.size), url: "/ho-so/\(dossier.id)/tep-dinh-kem/\($0.id)")
        } : []
        let history = records.events.map {
            HistoryRow(at: VietnameseFormat.dateTime($0.at), text: $0.action.applicantHistoryText, note: $0.note.nonEmpty)
        }
        let actions = DossierStateMachine.availableActions(in: dossier.machineState, for: .applicant)
        let apology = records.apologies.last.map {
            ApologyNotice(reason: $0.reason, newDueAt: VietnameseFormat.dateTime($0.newDueAt), at: VietnameseFormat.dateTime($0.at))
        }
        let title = review ? "Xem lại hồ sơ trước khi nộp" : dossier.code.map { "Hồ sơ \($0)" } ?? "Hồ sơ nháp"
        var page = DossierPage(
                chrome: PageChrome(title: title, section: .dossiers, context: context), heading: title,
                csrfToken: context.csrfToken, id: dossier.id, code: dossier.code, statusLabel: dossier.status.label,
                procedureName: dossier.procedureName, agencyName: dossier.agencyName,
                facts: DossierFacts.items(dossier, procedure: procedure), documents: documents, results: results,
                hasResults: !results.isEmpty, history: history, isReview: review, canEdit: dossier.status == .draft,
                canReview: !review && actions.contains(.submit), canSubmit: review && actions.contains(.submit) && missing.isEmpty,
                missingDocuments: review && !missing.isEmpty ? "Còn thiếu giấy tờ bắt buộc: " + missing.joined(separator: "; ") + "." : nil,
                deskRequest: dossier.status == .supplementRequested ? dossier.deskNote.nonEmpty : nil,
                deskReason: [.refused, .stopped].contains(dossier.status) ? dossier.deskNote.nonEmpty : nil, apology: apology,
                delivery: records.delivery?.summary,
                canSupplement: actions.contains(.supplement), canWithdraw: !review && actions.contains(.withdraw),
                problem: problem, notice: notice)
        if dossier.status == .draft, let procedure, !procedure.feesDueAtSubmission.isEmpty {
            page.fees = procedure.feesDueAtSubmission.map { "\($0.description): \(Money(dong: $0.amount).formatted)" }
            page.feeTotal = Money(dong: procedure.feesDueAtSubmission.reduce(0) { $0 + $1.amount }).formatted
        }
        let money = records.payments
        if !money.isEmpty {
            var panel = PaymentPanel(money, dossier: dossier, csrfToken: context.csrfToken,
                                     receiptURL: { "/ho-so/\(dossier.id)/bien-lai/\($0.id)" })
            panel.payURL = dossier.status == .feeRequested && money.openCharge != nil ? "/ho-so/\(dossier.id)/thanh-toan" : nil
            page.payment = panel
        }
        if dossier.status == .returned {
            if let rating {
                page.rating = rating
            } else {
                page.rating = RatingSection(status: dossier.status, rating: try await ratings.rating(dossierID: dossier.id))
            }
        }
        page.slips = records.slips.map {
            SlipLink(title: $0.title, number: $0.number, issuedAt: VietnameseFormat.dateTime($0.createdAt),
                     url: "/ho-so/\(dossier.id)/phieu/\($0.id)")
        }
        return try renderer.render(page, status: status)
    }

    @Sendable func supplement(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let dossier = try await owned(context)
        let note = try await request.decodeForm(NoteForm.self).note ?? ""
        do {
            _ = try await service.answerSupplement(dossierID: dossier.id, applicant: context.user, note: note)
        } catch let error as DossierError {
            return try await render(dossier, context: context, problem: error.message(for: "note"), status: error.portalError.status)
                .response(from: request, context: context)
        }
        return Response(status: .seeOther, headers: [.location: "/ho-so/\(dossier.id)?thong-bao=da-bo-sung"])
    }

    @Sendable func upload(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let dossier = try await owned(context)
        guard let position = context.parameters.get("position", as: Int.self).map({ $0 - 1 }),
              let boundary = MultipartFileStream.boundary(from: request.headers[.contentType])
        else { throw PortalError.badRequest("Yêu cầu tải tệp không hợp lệ.") }
        let stream = MultipartFileStream(body: request.body, boundary: boundary)
        do {
            _ = try await uploader.store(
                stream, declaredLength: request.headers[.contentLength].flatMap(Int64.init), fileName: { stream.fileName.current },
                dossier: dossier, position: position, applicant: context.user)
        } catch let error as any PortalErrorConvertible where error.isClientError {
            // The message goes beside the slot the file was meant for, with the file's name.
            let name = DisplayName.sanitize(stream.fileName.current ?? "", fallback: "")
            let message = (name.isEmpty ? "" : "Tệp \"\(name)\": ") + error.portalError.message
            return try await render(dossier, context: context, problem: "Không tải được tệp lên. \(message)",
                                    slotError: SlotError(position: position, message: message), status: error.portalError.status)
                .response(from: request, context: context)
        }
        return Response(status: .seeOther, headers: [.location: "/ho-so/\(dossier.id)?thong-bao=da-tai-tep"])
    }

    @Sendable func slip(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await downloads.slip(context.parameters.get("slip", as: Int64.self), of: try await owned(context), context: context)
    }

    @Sendable func download(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await downloads.download(attachmentID: context.parameters.get("attachment", as: Int64.self), of: try await owned(context), context: context)
    }

    /// Submits, then answers 303 to the confirmation: reloading it, or going back, posts nothing again.
    @Sendable func submit(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let dossier = try await owned(context)
        do {
            let submitted = try await service.submit(dossier, applicant: context.user)
            return Response(status: .seeOther, headers: [.location: "/ho-so/\(submitted.id)/da-nop"])
        } catch DossierError.invalidFields(let errors) {
            return try await render(dossier, context: context, review: dossier.status == .draft,
                                    problem: "Thông tin hồ sơ chưa đủ: " + errors.messages.values.sorted().joined(separator: " "),
                                    status: .unprocessableContent).response(from: request, context: context)
        } catch let error as DossierError {
            let answer = error.portalError
            return try await render(dossier, context: context, review: dossier.status == .draft, problem: answer.message, status: answer.status)
                .response(from: request, context: context)
        }
    }

    /// The confirmation of a submitted dossier, with its code; a draft goes back to its review step.
    @Sendable func submitted(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let dossier = try await owned(context)
        guard dossier.status != .draft, let code = dossier.code else {
            return Response(status: .seeOther, headers: [.location: "/ho-so/\(dossier.id)/xem-lai"])
        }
        let due = dossier.status == .feeRequested ? try await payments.payments(dossierID: dossier.id).openCharge : nil
        var links = [LinkItem(url: "/ho-so/\(dossier.id)", label: "Xem hồ sơ"), LinkItem(url: "/tra-cuu?ma=\(code)", label: "Tra cứu công khai")]
        if due != nil { links.insert(LinkItem(url: "/ho-so/\(dossier.id)/thanh-toan", label: "Nộp phí, lệ phí"), at: 0) }
        return try renderer.render(MessagePage(
            chrome: PageChrome(title: "Đã nộp hồ sơ", context: context), heading: "Đã nộp hồ sơ thành công",
            paragraphs: [
                "Mã hồ sơ của bạn: \(code)",
                "Hồ sơ \"\(dossier.procedureName)\" đã được gửi tới \(dossier.agencyName). Chúng tôi đã gửi thư xác nhận tới \(context.user.email).",
                due.map { "Hồ sơ cần nộp phí, lệ phí \($0.amount.formatted) (\($0.reason)). Sau khi bạn nộp, bộ phận tiếp nhận sẽ kiểm tra hồ sơ và thông báo việc tiếp nhận, yêu cầu bổ sung hoặc từ chối." }
                    ?? "Bộ phận tiếp nhận sẽ kiểm tra hồ sơ và thông báo việc tiếp nhận, yêu cầu bổ sung hoặc từ chối.",
            ],
            links: links)).response(from: request, context: context)
    }

    @Sendable func withdraw(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let dossier = try await owned(context)
        let reason = (try await request.decodeForm(WithdrawForm.self).reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            _ = try await service.withdraw(dossierID: dossier.id, applicant: context.user, reason: reason)
        } catch let error as DossierError {
            let answer = error.portalError
            return try await render(dossier, context: context, problem: answer.message, status: answer.status)
                .response(from: request, context: context)
        }
        return Response(status: .seeOther, headers: [.location: "/ho-so/\(dossier.id)?thong-bao=da-rut"])
    }

    /// The applicant's satisfaction rating, once the result is returned and once per dossier; a refusal is shown
    /// on the dossier page with what was typed, and nothing is saved.
    @Sendable func rate(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let dossier = try await owned(context)
        let form = try await request.decodeForm(RatingForm.self)
        let typed = ["information": form.information, "attitude": form.attitude, "timeliness": form.timeliness, "outcome": form.outcome,
                     "comment": form.comment].compactMapValues { $0 }
        do {
            let input = try RatingInput.check(
                answers: [.information: form.information, .attitude: form.attitude, .timeliness: form.timeliness, .outcome: form.outcome],
                comment: form.comment).get()
            _ = try await ratings.rate(dossierID: dossier.id, applicantID: context.user.id, input: input, at: Clock.nowMilliseconds())
        } catch let error as RatingError {
            let answer = error.portalError
            let existing = try await ratings.rating(dossierID: dossier.id)
            let section = RatingSection(status: dossier.status, rating: existing, typed: typed, errors: answer.fieldErrors)
            return try await render(dossier, context: context, problem: answer.message, status: answer.status, rating: section)
                .response(from: request, context: context)
        }
        return Response(status: .seeOther, headers: [.location: "/ho-so/\(dossier.id)?thong-bao=da-danh-gia"])
    }

    // MARK: My dossiers

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        let chosen = request.queryValues["trang-thai"].flatMap(Int.init).flatMap(DossierStatus.init(rawValue:))
        let paging = Paging(request, pageSize: 20)
        // A cursor this portal did not make starts from the first page.
        let found = try await service.store.summaries(applicantID: context.user.id, filter: .init(status: chosen),
                                                      after: paging.after.flatMap(DossierCursor.init), limit: paging.pageSize)
        let rows = found.items.map {
            DossierRow(url: "/ho-so/\($0.id)", code: $0.code ?? "(bản nháp)", procedureName: $0.procedureName,
                       agencyName: $0.agencyName, status: $0.status.label, createdAt: VietnameseFormat.dateTime($0.submittedAt ?? $0.createdAt),
                       dueAt: $0.dueAt.map(VietnameseFormat.dateTime))
        }
        return try renderer.render(MyDossiersPage(
            chrome: PageChrome(title: "Hồ sơ của tôi", section: .dossiers, context: context), rows: try renderer.rows(rows, template: "dossiers/row"),
            hasRows: !rows.isEmpty,
            statuses: DossierStatus.allCases.map { SelectOption(value: String($0.rawValue), label: $0.label, selected: $0 == chosen) },
            pager: paging.links(path: "/ho-so", next: found.next?.text, keeping: ["trang-thai": chosen.map { String($0.rawValue) }])))
    }

    enum Notice: String {
        case created = "da-tao"
        case uploaded = "da-tai-tep"
        case withdrawn = "da-rut"
        case supplemented = "da-bo-sung"
        case saved = "da-luu"
        case rated = "da-danh-gia"

        var text: String {
            switch self {
            case .created: "Đã lưu hồ sơ nháp. Hãy đính kèm các giấy tờ rồi bấm \"Xem lại và nộp hồ sơ\"."
            case .uploaded: "Đã tải tệp lên."
            case .withdrawn: "Đã rút hồ sơ."
            case .supplemented: "Đã gửi hồ sơ bổ sung. Bộ phận tiếp nhận sẽ kiểm tra lại."
            case .saved: "Đã lưu thông tin hồ sơ."
            case .rated: "Cảm ơn bạn đã đánh giá mức độ hài lòng."
            }
        }
    }
}

/// The satisfaction rating form: each question's answer 1–5 and an optional comment.
struct RatingForm: Decodable {
    var information: String?
    var attitude: String?
    var timeliness: String?
    var outcome: String?
    var comment: String?
}

/// The applicant's answer to a supplement request.
struct NoteForm: Decodable {
    var note: String?
}

/// The applicant's reason for withdrawing a dossier.
struct WithdrawForm: Decodable {
    var reason: String?
}
