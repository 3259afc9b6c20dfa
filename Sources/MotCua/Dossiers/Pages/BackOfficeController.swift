import Foundation
import HTTPTypes
import Hummingbird

/// The back office pages ("Một cửa"): the agency's dossiers, one dossier with the steps open to the
/// signed-in officer, result upload, file download and the receipt slip. Only receptionists, processors
/// and leaders get in, and only to their own agency's dossiers.
struct BackOfficeController: Sendable {
    let workflow: DossierWorkflow
    let uploader: AttachmentUploader
    let downloads: AttachmentDownload
    let renderer: HTMLRenderer
    let payments: PaymentStore

    func addRoutes(to router: Router<AppRequestContext>) {
        let office = router.group("mot-cua", context: AuthenticatedContext.self)
        office.get(use: list)
        office.get("ho-so/{id}", use: show)
        office.post("ho-so/{id}/xu-ly", use: act)
        office.post("ho-so/{id}/ket-qua", use: uploadResult)
        office.get("ho-so/{id}/tep/{attachment}", use: download)
        office.get("ho-so/{id}/phieu-tiep-nhan", use: receipt)
        office.get("ho-so/{id}/phieu-kiem-soat", use: controlSlip)
        office.get("ho-so/{id}/phieu/{slip}", use: slipPDF)
        office.get("ho-so/{id}/phieu-xin-loi/{number}", use: apologySlip)
    }

    // MARK: The agency's dossiers

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        try DossierWorkflow.checkWorksOnDossiers(context.user)
        let query = request.queryValues
        let queues = DossierQueue.queues(for: context.user.role)
        let queue = query["hang-doi"].flatMap(DossierQueue.init(slug:)).flatMap { queues.contains($0) ? $0 : nil } ?? queues[0]
        let (filter, problem) = DossierFilter.fromPage(query)
        let now = Clock.nowMilliseconds()
        let paging = Paging(request, pageSize: 50)
        let viewer = QueueViewer(context.user)
        let (found, counts) = problem == nil
            ? try await workflow.store.queue(queue, counting: queues, for: viewer, filter: filter,
                                             after: paging.after.flatMap(DossierCursor.init), limit: paging.pageSize)
            : (DossierListPage(items: [], next: nil), try await workflow.store.counts(queues, for: viewer))
        let rows = found.items.map { item in
            BackOfficeRow(
                url: "/mot-cua/ho-so/\(item.id)", code: item.code ?? "", procedureName: item.procedureName,
                applicantName: item.applicantName ?? "", submittedAt: item.submittedAt.map(VietnameseFormat.dateTime) ?? "—",
                dueAt: item.dueAt.map(VietnameseFormat.dateTime), status: item.status.label,
                overdue: item.dueState == .overdue || item.isOverdue(now: now), dueSoon: item.dueState == .dueSoon,
                step: item.stepName, holder: item.holderName, stepDueAt: item.stepDueAt.map(VietnameseFormat.dateTime),
                stepOverdue: item.stepDueAt.map { $0 < now } ?? false)
        }
        var keep = filter.pageQuery
        keep["hang-doi"] = queue.slug
        let statuses = DossierStatus.allCases.filter { $0 != .draft }
        let channels: [(DossierChannel, String)] = [(.desk, "Trực tiếp"), (.online, "Trực tuyến"), (.post, "Bưu chính")]
        return try renderer.render(BackOfficeListPage(
            chrome: PageChrome(title: "Hồ sơ của cơ quan", section: .backOffice, context: context),
            roleLabel: context.user.role?.label ?? "", canIntake: context.user.role == .receptionist,
            canReadReports: !StaffReportKind.readable(by: context.user.role).isEmpty,
            tabs: queues.map { QueueTab(label: $0.label, url: "/mot-cua?hang-doi=\($0.slug)", count: counts[$0], current: $0 == queue) },
            queueLabel: queue.label, queueSlug: queue.slug, rows: try renderer.rows(rows, template: "backoffice/row"), hasRows: !rows.isEmpty,
            code: query["ma"] ?? "", applicant: query["nguoi-nop"] ?? "", procedureCode: query["thu-tuc"] ?? "",
            from: query["tu-ngay"] ?? "", to: query["den-ngay"] ?? "",
            statuses: statuses.map { SelectOption(value: String($0.rawValue), label: $0.label, selected: $0 == filter.status) },
            channels: channels.map { SelectOption(value: String($0.0.rawValue), label: $0.1, selected: $0.0 == filter.channel) },
            pager: paging.links(path: "/mot-cua", next: found.next?.text, keeping: keep),
            problem: problem))
    }

    // MARK: One dossier

    private func dossier(_ context: AuthenticatedContext) async throws -> Dossier {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw DossierError.notFound }
        return try await workflow.dossier(id, for: context.user)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        let done = request.queryValues["thong-bao"]
        let notice = switch done {
        case "ket-qua": "Đã tải lên tệp kết quả."
        case "giay": "Đã lưu hồ sơ giấy. Quét từng giấy tờ vào hồ sơ rồi bấm “Đăng ký hồ sơ (cấp mã)”."
        case "da-quet": "Đã lưu bản quét."
        case "nop-phi": "Đã ghi nhận nộp phí và lập biên lai; hồ sơ chuyển sang chờ tiếp nhận."
        case "hoan-phi": "Đã ghi nhận hoàn trả phí, lệ phí."
        default: done.flatMap(DossierAction.init(rawValue:)).map(\.doneText)
        }
        return try await render(try await dossier(context), context: context, notice: notice)
    }

    func render(_ dossier: Dossier, context: AuthenticatedContext, notice: String? = nil, problem: String? = nil,
                        noteError: (DossierAction, String)? = nil, status: HTTPResponse.Status = .ok) async throws -> HTML {
        let procedure = try await workflow.catalog.procedure(agencyCode: dossier.agencyCode, code: dossier.procedureCode)
        let records = try await workflow.store.records(of: dossier)
        let attachments = records.attachments
        let fileURL = { (file: DossierAttachment) in "/mot-cua/ho-so/\(dossier.id)/tep/\(file.id)" }
        let results = attachments.filter { $0.kind == .result }.map {
            FileRow(name: $0.displayName, size: ProcedurePage.sizeText($0.size), url: fileURL($0))
        }
        let applicant = records.applicant
        let history = records.events.map {
            HistoryRow(at: VietnameseFormat.dateTime($0.at), text: "\($0.actorName ?? "Hệ thống"): \($0.action.staffHistoryText)",
                       note: $0.note.nonEmpty)
        }
        let people = try await workflow.candidates(for: dossier, staff: context.user)
        let actions = DossierWorkflow.availableActions(dossier, for: context.user).map { action in
            var form = ActionForm(action: action, csrfToken: context.csrfToken, dossierID: dossier.id,
                                  error: noteError?.0 == action ? noteError?.1 : nil)
            switch action {
            case .forward:
                form.people = people.forward.map { SelectOption(value: String($0.id), label: $0.displayName, selected: false) }
                form.peopleLabel = "Người nhận ở bước tiếp theo (để trống: trưởng đơn vị phân công)"
            case .returnResult:
                form.needsCollector = dossier.deliveryMethod == .desk || dossier.deliveryMethod == nil
                form.needsTracking = dossier.deliveryMethod == .post
            case .assign:
                form.people = people.assign.map { SelectOption(value: String($0.id), label: $0.displayName, selected: false) }
                form.peopleLabel = "Chuyên viên được phân công"
                form.peopleOptional = false
            default:
                break
            }
            return form
        }
        let handovers = records.handovers
        let apologies = records.apologies
        let progress = ProgressFacts.items(dossier)
        let canAttachResult = DossierWorkflow.mayAttachResult(dossier, context.user)
        var page = BackOfficeDossierPage(
                chrome: PageChrome(title: "Hồ sơ \(dossier.code ?? "")", section: .backOffice, context: context),
                csrfToken: context.csrfToken, id: dossier.id, code: dossier.code ?? "", procedureName: dossier.procedureName,
                agencyName: dossier.agencyName, overdue: dossier.isOverdue(now: Clock.nowMilliseconds()),
                applicant: ApplicantFacts.items(applicant), facts: DossierFacts.items(dossier, procedure: procedure),
                deskNote: dossier.deskNote.nonEmpty,
                documents: DocumentSlot.slots(
                    procedure: procedure, attachments: attachments, fileURL: fileURL,
                    uploadURL: (try? DeskIntake.checkMayScan(dossier, context.user)) != nil
                        ? { "/mot-cua/ho-so/\(dossier.id)/quet/\($0 + 1)?_csrf=\(context.csrfToken)" } : nil),
                results: results, hasResults: !results.isEmpty, canAttachResult: canAttachResult,
                resultUploadURL: "/mot-cua/ho-so/\(dossier.id)/ket-qua?_csrf=\(context.csrfToken)",
                hasReceipt: dossier.acceptedAt != nil, progress: progress, hasProgress: !progress.isEmpty,
                handovers: handovers.enumerated().map { HandoverRow($1, number: $0 + 1) }, hasHandovers: !handovers.isEmpty,
                apologies: apologies.enumerated().map { index, apology in
                    ApologyRow(at: VietnameseFormat.dateTime(apology.at), reason: apology.reason,
                               previousDueAt: VietnameseFormat.dateTime(apology.previousDueAt),
                               newDueAt: VietnameseFormat.dateTime(apology.newDueAt),
                               slipURL: "/mot-cua/ho-so/\(dossier.id)/phieu-xin-loi/\(index + 1)")
                }, hasApologies: !apologies.isEmpty, delivery: records.delivery?.summary,
                actions: actions, hasActions: !actions.isEmpty, history: history,
                problem: problem, notice: notice)
        let money = records.payments
        if !money.isEmpty || dossier.status == .feeRequested {
            var panel = PaymentPanel(money, dossier: dossier, csrfToken: context.csrfToken,
                                     receiptURL: { "/mot-cua/ho-so/\(dossier.id)/bien-lai/\($0.id)" })
            panel.canConfirm = context.user.role == .receptionist && dossier.status == .feeRequested && money.openCharge != nil
            panel.canRefund = [.receptionist, .leader].contains(context.user.role) && !panel.refundable.isEmpty
            page.payment = panel
        }
        var ordinals: [String: Int] = [:]
        page.slips = records.slips.map { slip in
            ordinals[slip.form, default: 0] += 1
            let printURL = IssuedSlipController.printURL(dossierID: dossier.id, form: slip.form, ordinal: ordinals[slip.form] ?? 1)
            return SlipLink(title: slip.title, number: slip.number, issuedAt: VietnameseFormat.dateTime(slip.createdAt),
                            url: "/mot-cua/ho-so/\(dossier.id)/phieu/\(slip.id)", printURL: printURL,
                            printLabel: printURL.map { _ in "Xem và in mẫu \(slip.form) số \(slip.number)" })
        }
        return try renderer.render(page, status: status)
    }

    @Sendable func act(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let dossier = try await dossier(context)
        let form = try await request.decodeForm(StaffActionForm.self)
        guard let action = form.action.flatMap(DossierAction.init(rawValue:)) else {
            throw PortalError.badRequest("Thao tác không hợp lệ.")
        }
        var input = StaffActionInput(note: form.note ?? "")
        do {
            if let raw = form.to?.nonEmpty {
                guard let id = Int64(raw) else { throw DossierError.invalidFields(["to": "Người nhận không hợp lệ."]) }
                input.toUserID = id
            }
            input.collectorName = form.collectorName
            input.collectorIDNumber = form.collectorIDNumber
            input.trackingNumber = form.trackingNumber
            if let raw = form.sentOn?.nonEmpty {
                guard let date = CivilDate(iso: raw) else { throw DossierError.invalidFields(["sent_on": "Ngày gửi phải có dạng năm-tháng-ngày."]) }
                input.sentOn = date
            }
            if let raw = form.newDueDate?.nonEmpty {
                guard let date = CivilDate(iso: raw) else {
                    throw DossierError.invalidFields(["new_due_date": "Ngày hẹn mới phải có dạng năm-tháng-ngày."])
                }
                input.newDueDate = date
            }
            if let raw = form.amount, action == .requestFee {
                do {
                    input.amount = try Money(parsing: raw).requirePositive()
                } catch {
                    throw DossierError.invalidFields(["amount": error.message])
                }
            }
            if action == .register {
                _ = try await workflow.intake.register(dossier.id, by: context.user)
            } else {
                _ = try await workflow.perform(action, on: dossier, by: context.user, input: input)
            }
        } catch let error as DossierError {
            var noteError: (DossierAction, String)?
            if case .invalidFields(let errors) = error,
               let message = ["amount", "note", "to", "new_due_date", "collector_name", "collector_id_number", "tracking_number", "sent_on"]
                   .lazy.compactMap({ errors[$0] }).first {
                noteError = (action, message)
            }
            return try await render(try await workflow.dossier(dossier.id, for: context.user), context: context,
                                    problem: noteError?.1 ?? error.portalError.message, noteError: noteError,
                                    status: error.portalError.status).response(from: request, context: context)
        }
        return Response(status: .seeOther, headers: [.location: "/mot-cua/ho-so/\(dossier.id)?thong-bao=\(action.rawValue)"])
    }

    @Sendable func uploadResult(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let dossier = try await dossier(context)
        guard let boundary = MultipartFileStream.boundary(from: request.headers[.contentType]) else {
            throw PortalError.badRequest("Yêu cầu tải tệp không hợp lệ.")
        }
        let stream = MultipartFileStream(body: request.body, boundary: boundary)
        do {
            _ = try await uploader.storeResult(
                stream, declaredLength: request.headers[.contentLength].flatMap(Int64.init), fileName: { stream.fileName.current },
                dossier: dossier, staff: context.user, workflow: workflow)
        } catch let error as any PortalErrorConvertible where error.isClientError {
            return try await render(dossier, context: context, problem: error.portalError.message, status: error.portalError.status)
                .response(from: request, context: context)
        }
        return Response(status: .seeOther, headers: [.location: "/mot-cua/ho-so/\(dossier.id)?thong-bao=ket-qua"])
    }

    @Sendable func download(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await downloads.download(attachmentID: context.parameters.get("attachment", as: Int64.self), of: try await dossier(context),
                                    asStaff: true, context: context)
    }

    // MARK: Receipt slip (mẫu 01)

    @Sendable func receipt(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        let dossier = try await dossier(context)
        guard let acceptedAt = dossier.acceptedAt, let code = dossier.code else {
            throw PortalError(status: .conflict, message: "Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận.")
        }
        let procedure = try await workflow.catalog.procedure(agencyCode: dossier.agencyCode, code: dossier.procedureCode)
        let applicant = try await workflow.applicant(of: dossier)
        let attachments = try await workflow.store.attachments(dossierID: dossier.id).filter { $0.kind == .applicant }
        let receivedBy = try await workflow.store.events(dossierID: dossier.id).last { $0.action == .accept }?.actorName
        let documents = (procedure?.requiredDocuments ?? []).compactMap { document -> ReceiptDocument? in
            let files = attachments.filter { $0.documentPosition == document.position }.count
            guard files > 0 else { return nil }
            return ReceiptDocument(
                number: document.position + 1, name: document.name,
                kind: document.originals > 0 ? "Bản chính (bản điện tử)" : "Bản sao (bản điện tử)", files: files)
        }
        return try renderer.render(ReceiptSlipPage(
            chrome: PageChrome(title: "Giấy tiếp nhận hồ sơ \(code)", section: .backOffice, context: context),
            id: dossier.id, agencyName: dossier.agencyName, code: code, applicantName: applicant.displayName,
            applicantAddress: applicant.address.nonEmpty ?? "—", applicantPhone: applicant.phone.nonEmpty ?? "—",
            applicantEmail: applicant.email, procedureName: dossier.procedureName, documents: documents,
            processingDays: procedure?.processingDays ?? 0, receivedAt: VietnameseFormat.dateTime(acceptedAt),
            dueAt: dossier.dueAt.map(VietnameseFormat.dateTime) ?? "—",
            delivery: dossier.deliveryMethod.map { $0.label + (dossier.deliveryAddress.map { ": \($0)" } ?? "") } ?? "—",
            receivedBy: receivedBy ?? "", slipVersion: ReceiptSlipPage.version,
            qrSVG: try SlipQR.svg(publicURL: workflow.publicURL, code: code),
            slipNumber: try await workflow.store.slips(dossierID: dossier.id).first { $0.form == "01" }?.number))
    }

    @Sendable func slipPDF(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try await downloads.slip(context.parameters.get("slip", as: Int64.self), of: try await dossier(context), context: context)
    }

    // MARK: Control slip (mẫu 05) and apology slip (mẫu 04)

    @Sendable func controlSlip(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        let dossier = try await dossier(context)
        guard let code = dossier.code, dossier.acceptedAt != nil else {
            throw PortalError(status: .conflict, message: "Hồ sơ chưa được tiếp nhận nên chưa có phiếu kiểm soát.")
        }
        let handovers = try await workflow.store.handovers(dossierID: dossier.id)
        return try renderer.render(ControlSlipPage(
            chrome: PageChrome(title: "Phiếu kiểm soát quá trình giải quyết hồ sơ \(code)", section: .backOffice, context: context),
            id: dossier.id, agencyName: dossier.agencyName, code: code, applicantName: dossier.applicantName,
            procedureName: dossier.procedureName, receivedAt: dossier.acceptedAt.map(VietnameseFormat.dateTime) ?? "—",
            dueAt: dossier.dueAt.map(VietnameseFormat.dateTime) ?? "—",
            rows: handovers.enumerated().map { HandoverRow($1, number: $0 + 1) }, slipVersion: ControlSlipPage.version,
            qrSVG: try SlipQR.svg(publicURL: workflow.publicURL, code: code),
            slipNumber: try await workflow.store.slips(dossierID: dossier.id).last { $0.form == "05" }?.number))
    }

    @Sendable func apologySlip(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        let dossier = try await dossier(context)
        let apologies = try await workflow.store.apologies(dossierID: dossier.id)
        guard let number = context.parameters.get("number", as: Int.self), apologies.indices.contains(number - 1), let code = dossier.code else {
            throw PortalError.notFound("Không tìm thấy phiếu xin lỗi này.")
        }
        let apology = apologies[number - 1]
        let applicant = try await workflow.applicant(of: dossier)
        return try renderer.render(ApologySlipPage(
            chrome: PageChrome(title: "Phiếu xin lỗi và hẹn lại ngày trả kết quả \(code)", section: .backOffice, context: context),
            id: dossier.id, agencyName: dossier.agencyName, code: code, applicantName: dossier.applicantName.nonEmpty ?? applicant.displayName,
            applicantAddress: applicant.address.nonEmpty ?? "—", procedureName: dossier.procedureName,
            receivedAt: dossier.acceptedAt.map(VietnameseFormat.dateTime) ?? "—",
            previousDueAt: VietnameseFormat.dateTime(apology.previousDueAt), newDueAt: VietnameseFormat.dateTime(apology.newDueAt),
            reason: apology.reason, issuedAt: VietnameseFormat.dateTime(apology.at), issuedBy: apology.byName ?? "",
            slipVersion: ApologySlipPage.version, qrSVG: try SlipQR.svg(publicURL: workflow.publicURL, code: code),
            // The slip issued with this apology: same step, same moment.
            slipNumber: try await workflow.store.slips(dossierID: dossier.id).first { $0.form == "04" && $0.createdAt == apology.at }?.number))
    }
}

/// A back-office step as posted by the forms of the staff dossier page: the action, its note, and the fields
/// of the steps that have them (who next, the result's delivery, the new appointment day).
struct StaffActionForm: Decodable {
    var action: String?
    var note: String?
    var to: String?
    var collectorName: String?
    var collectorIDNumber: String?
    var trackingNumber: String?
    var sentOn: String?
    var newDueDate: String?
    var amount: String?

    enum CodingKeys: String, CodingKey {
        case action, note, to, amount
        case collectorName = "collector_name"
        case collectorIDNumber = "collector_id_number"
        case trackingNumber = "tracking_number"
        case sentOn = "sent_on"
        case newDueDate = "new_due_date"
    }
}
