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

    func addRoutes(to router: Router<AppRequestContext>) {
        let office = router.group("mot-cua", context: AuthenticatedContext.self)
        office.get(use: list)
        office.get("ho-so/{id}", use: show)
        office.post("ho-so/{id}/xu-ly", use: act)
        office.post("ho-so/{id}/ket-qua", use: uploadResult)
        office.get("ho-so/{id}/tep/{attachment}", use: download)
        office.get("ho-so/{id}/phieu-tiep-nhan", use: receipt)
    }

    // MARK: The agency's dossiers

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        try DossierWorkflow.checkWorksOnDossiers(context.user)
        let query = request.queryValues
        var filter = DossierFilter()
        filter.status = query["trang-thai"].flatMap(Int.init).flatMap(DossierStatus.init(rawValue:))
        let code = (query["ma"] ?? "").trimmingCharacters(in: .whitespaces)
        var problem: String?
        if !code.isEmpty {
            if DossierCode.isWellFormed(code) { filter.code = code } else { problem = "Mã hồ sơ không đúng dạng <mã cơ quan>-<YYMMDD>-<NNNN>." }
        }
        let now = Clock.nowMilliseconds()
        let paging = Paging(request, pageSize: 50)
        let found = problem == nil
            ? try await workflow.store.queue(agencyCode: context.user.agencyCode ?? "", filter: filter,
                                             after: paging.after.flatMap(DossierCursor.init), limit: paging.pageSize)
            : DossierListPage(items: [], next: nil)
        let rows = found.items.map { item in
            BackOfficeRow(
                url: "/mot-cua/ho-so/\(item.id)", code: item.code ?? "", procedureName: item.procedureName,
                applicantName: item.applicantName ?? "", submittedAt: item.submittedAt.map(VietnameseFormat.dateTime) ?? "—",
                dueAt: item.dueAt.map(VietnameseFormat.dateTime), status: item.status.label, overdue: item.isOverdue(now: now))
        }
        let statuses = DossierStatus.allCases.filter { $0 != .draft }
        return try renderer.render(BackOfficeListPage(
            chrome: PageChrome(title: "Hồ sơ của cơ quan", section: .backOffice, context: context),
            roleLabel: context.user.role?.label ?? "", rows: rows, hasRows: !rows.isEmpty, code: code,
            statuses: statuses.map { SelectOption(value: String($0.rawValue), label: $0.label, selected: $0 == filter.status) },
            pager: paging.links(path: "/mot-cua", next: found.next?.text,
                                keeping: ["trang-thai": filter.status.map { String($0.rawValue) }, "ma": code.isEmpty ? nil : code]),
            problem: problem))
    }

    // MARK: One dossier

    private func dossier(_ context: AuthenticatedContext) async throws -> Dossier {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw DossierError.notFound }
        return try await workflow.dossier(id, for: context.user)
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        let done = request.queryValues["thong-bao"]
        let notice = done == "ket-qua" ? "Đã tải lên tệp kết quả." : done.flatMap(DossierAction.init(rawValue:)).map(\.doneText)
        return try await render(try await dossier(context), context: context, notice: notice)
    }

    private func render(_ dossier: Dossier, context: AuthenticatedContext, notice: String? = nil, problem: String? = nil,
                        noteError: (DossierAction, String)? = nil, status: HTTPResponse.Status = .ok) async throws -> HTML {
        let procedure = try await workflow.catalog.procedure(agencyCode: dossier.agencyCode, code: dossier.procedureCode)
        let attachments = try await workflow.store.attachments(dossierID: dossier.id)
        let fileURL = { (file: DossierAttachment) in "/mot-cua/ho-so/\(dossier.id)/tep/\(file.id)" }
        let results = attachments.filter { $0.kind == .result }.map {
            FileRow(name: $0.displayName, size: ProcedurePage.sizeText($0.size), url: fileURL($0))
        }
        let applicant = try await workflow.applicant(of: dossier)
        let history = try await workflow.store.events(dossierID: dossier.id).map {
            HistoryRow(at: VietnameseFormat.dateTime($0.at), text: "\($0.actorName ?? "Hệ thống"): \($0.action.staffHistoryText)",
                       note: $0.note.nonEmpty)
        }
        let actions = DossierWorkflow.availableActions(dossier, for: context.user).map { action in
            ActionForm(action: action, csrfToken: context.csrfToken, dossierID: dossier.id,
                       error: noteError?.0 == action ? noteError?.1 : nil)
        }
        let canAttachResult = DossierWorkflow.mayAttachResult(dossier, context.user)
        return try renderer.render(
            BackOfficeDossierPage(
                chrome: PageChrome(title: "Hồ sơ \(dossier.code ?? "")", section: .backOffice, context: context),
                csrfToken: context.csrfToken, id: dossier.id, code: dossier.code ?? "", procedureName: dossier.procedureName,
                agencyName: dossier.agencyName, overdue: dossier.isOverdue(now: Clock.nowMilliseconds()),
                applicant: ApplicantFacts.items(applicant), facts: DossierFacts.items(dossier, procedure: procedure),
                deskNote: dossier.deskNote.nonEmpty,
                documents: DocumentSlot.slots(procedure: procedure, attachments: attachments, fileURL: fileURL, uploadURL: nil),
                results: results, hasResults: !results.isEmpty, canAttachResult: canAttachResult,
                resultUploadURL: "/mot-cua/ho-so/\(dossier.id)/ket-qua?_csrf=\(context.csrfToken)",
                hasReceipt: dossier.acceptedAt != nil, actions: actions, hasActions: !actions.isEmpty, history: history,
                problem: problem, notice: notice),
            status: status)
    }

    @Sendable func act(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let dossier = try await dossier(context)
        let form = try await request.formValues()
        guard let action = form["action"].flatMap(DossierAction.init(rawValue:)) else {
            throw PortalError.badRequest("Thao tác không hợp lệ.")
        }
        do {
            _ = try await workflow.perform(action, on: dossier.id, by: context.user, note: form["note"] ?? "")
        } catch let error as DossierError {
            var noteError: (DossierAction, String)?
            if case .invalidFields(let errors) = error, let message = errors["note"] { noteError = (action, message) }
            return try await render(dossier, context: context, problem: error.message(for: "note"), noteError: noteError,
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
            receivedBy: receivedBy ?? "", slipVersion: ReceiptSlipPage.version))
    }
}
