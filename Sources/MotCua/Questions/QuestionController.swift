import Foundation
import HTTPTypes
import Hummingbird

/// "Hỏi đáp": anyone, signed in or not, asks an agency a question about one of its procedures or in general;
/// the agency's staff read and answer the questions sent to their agency only, and may publish an answered
/// question as FAQ on its procedure's page. No captcha: questions count per client address and per account
/// (`Throttle`), and forms are size-limited by `CSRFMiddleware` before anything is read.
struct QuestionController: Sendable {
    let store: QuestionStore
    let catalog: CatalogReader
    let throttle: Throttle
    let renderer: HTMLRenderer

    static let perAddress = Throttle.Rule(scope: "question-ip", limit: 5, window: .seconds(60 * 60))
    static let perAccount = Throttle.Rule(scope: "question-account", limit: 10, window: .seconds(24 * 60 * 60))
    static let pageSize = 20

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/hoi-dap", use: askPage)
        router.post("/hoi-dap", use: ask)
        router.get("/hoi-dap/da-gui", use: sent)
        let staff = router.group("mot-cua", context: AuthenticatedContext.self)
        staff.get("hoi-dap", use: list)
        staff.get("hoi-dap/{id}", use: show)
        staff.post("hoi-dap/{id}/tra-loi", use: answer)
        staff.post("hoi-dap/{id}/cong-khai", use: publish)
    }

    // MARK: Asking

    @Sendable func askPage(_ request: Request, context: AppRequestContext) async throws -> HTML {
        let agency = request.queryValues["co-quan"]?.trimmingCharacters(in: .whitespaces) ?? ""
        let procedure = request.queryValues["thu-tuc"]?.trimmingCharacters(in: .whitespaces) ?? ""
        var form = AskForm(agency: agency, procedure: procedure)
        if let user = context.identity?.user, !user.isStaff {
            form.name = user.displayName
            form.email = user.email
            form.phone = user.phone
        }
        let snapshot = try await catalog.snapshot()
        var problem: String?
        var status = HTTPResponse.Status.ok
        if !agency.isEmpty, !snapshot.agencies.contains(where: { $0.code == agency }) {
            problem = "Cơ quan này không có trong danh mục. Vui lòng chọn lại."
            status = .notFound
        } else if !procedure.isEmpty, !snapshot.index.entries.contains(where: { $0.agencyCode == agency && $0.code == procedure }) {
            problem = "Không tìm thấy thủ tục này của cơ quan đã chọn. Bạn vẫn có thể gửi câu hỏi chung cho cơ quan."
            status = .notFound
        }
        return try renderer.render(AskPage(context: context, snapshot: snapshot, form: form, errors: FieldErrors(), problem: problem),
                                   status: status)
    }

    @Sendable func ask(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try await request.decodeForm(AskForm.self)
        let snapshot = try await catalog.snapshot()
        func refuse(_ errors: FieldErrors, problem: String? = nil, status: HTTPResponse.Status) throws -> Response {
            try renderer.render(AskPage(context: context, snapshot: snapshot, form: form, errors: errors, problem: problem), status: status)
                .response(from: request, context: context)
        }
        let input: QuestionInput
        switch QuestionInput.check(form) {
        case .success(let checked): input = checked
        case .failure(let error):
            guard case .invalid(let errors) = error else { throw error }
            return try refuse(errors, status: .badRequest)
        }
        // The catalog in memory answers for the agency and procedure before the attempt is counted; the store
        // checks them again as it saves.
        if !snapshot.agencies.contains(where: { $0.code == input.agencyCode }) {
            return try refuse(["agency": "Cơ quan này không có trong danh mục."], status: .badRequest)
        }
        if let code = input.procedureCode, !snapshot.index.entries.contains(where: { $0.agencyCode == input.agencyCode && $0.code == code }) {
            return try refuse(["procedure": "Không tìm thấy thủ tục này của cơ quan đã chọn."], status: .badRequest)
        }
        let user = context.identity?.user
        var checks: [(rule: Throttle.Rule, subject: String)] = [(Self.perAddress, context.clientIP)]
        if let user { checks.append((Self.perAccount, String(user.id))) }
        let eventIDs: [Int64]
        switch try await throttle.attempt(checks) {
        case .allowed(let ids): eventIDs = ids
        case .blocked(let until):
            var response = try refuse(FieldErrors(), problem: QuestionError.throttledMessage(until), status: .tooManyRequests)
            response.headers[.retryAfter] = String(QuestionError.retryAfterSeconds(until))
            return response
        }
        do {
            _ = try await store.ask(input, askerID: user?.id, clientHash: QuestionInput.clientHash(context.clientIP),
                                    at: Clock.nowMilliseconds())
        } catch QuestionError.invalid(let errors) {
            // The catalog changed in between: nothing saved, and the attempt does not count.
            try await throttle.forget(eventIDs: eventIDs)
            return try refuse(errors, status: .badRequest)
        } catch {
            // The failure that matters is the one thrown on; a failed forget only leaves one attempt counted.
            try? await throttle.forget(eventIDs: eventIDs)
            throw error
        }
        var location = "/hoi-dap/da-gui"
        if let code = input.procedureCode { location += "?co-quan=\(input.agencyCode)&thu-tuc=\(code)" }
        return Response(status: .seeOther, headers: [.location: location])
    }

    @Sendable func sent(_ request: Request, context: AppRequestContext) async throws -> HTML {
        var links = [LinkItem(url: SiteURL.catalog, label: "Về danh mục thủ tục hành chính")]
        if let agency = request.queryValues["co-quan"], let code = request.queryValues["thu-tuc"],
           Identifiers.isAgencyCode(agency), Identifiers.isProcedureCode(code) {
            links.insert(LinkItem(url: SiteURL.procedure(agencyCode: agency, code: code, tab: ProcedurePage.Tab.faq.rawValue),
                                  label: "Về trang thủ tục"), at: 0)
        }
        return try renderer.render(MessagePage(
            chrome: PageChrome(title: "Đã gửi câu hỏi", context: context), heading: "Đã gửi câu hỏi",
            paragraphs: [
                "Cảm ơn bạn đã gửi câu hỏi. Cơ quan sẽ trả lời trong thời gian sớm nhất.",
                "Nếu bạn để lại địa chỉ thư điện tử, câu trả lời sẽ được gửi đến địa chỉ đó.",
            ],
            links: links))
    }

    // MARK: Staff

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        let agency = try QuestionPolicy.agencyCode(of: context.user)
        let page = max(1, min(Int(request.queryValues["trang"] ?? "") ?? 1, 10_000))
        let (rows, hasMore) = try await store.questions(agencyCode: agency, limit: Self.pageSize, offset: (page - 1) * Self.pageSize)
        let waiting = try await store.waitingCount(agencyCode: agency)
        return try renderer.render(StaffQuestionsPage(
            chrome: PageChrome(title: "Câu hỏi của người dân", section: .backOffice, context: context),
            rows: rows.map(StaffQuestionsPage.Row.init), hasRows: !rows.isEmpty,
            summary: waiting == 0 ? "Không có câu hỏi nào đang chờ trả lời." : "\(waiting) câu hỏi đang chờ trả lời.",
            previous: page > 1 ? "/mot-cua/hoi-dap" + (page == 2 ? "" : "?trang=\(page - 1)") : nil,
            next: hasMore ? "/mot-cua/hoi-dap?trang=\(page + 1)" : nil, pageNumber: page))
    }

    @Sendable func show(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        let question = try await load(context)
        let notice: String? = switch request.queryValues["thong-bao"] {
        case "da-tra-loi": "Đã lưu câu trả lời."
        case "da-cong-khai": "Câu hỏi đã được công khai trong mục Câu hỏi thường gặp của thủ tục."
        case "da-an": "Câu hỏi đã được gỡ khỏi mục Câu hỏi thường gặp."
        default: nil
        }
        return try renderer.render(QuestionPage(context: context, question: question, draft: question.answer, notice: notice))
    }

    @Sendable func answer(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let question = try await load(context)
        let form = try await request.decodeForm(AnswerForm.self)
        // An unticked box is not sent at all: `publish_shown` tells "untick" from "the box was not on the form".
        let publish: Bool? = form.publishShown == "1" ? form.publish == "1" : nil
        do {
            try await store.answer(id: question.id, agencyCode: question.agencyCode, text: form.answer ?? "", publish: publish,
                                   by: context.user.id, at: Clock.nowMilliseconds())
        } catch QuestionError.answerInvalid(let message) {
            return try renderer.render(QuestionPage(context: context, question: question, draft: form.answer ?? "", error: message),
                                       status: .badRequest).response(from: request, context: context)
        }
        return Response(status: .seeOther, headers: [.location: "/mot-cua/hoi-dap/\(question.id)?thong-bao=da-tra-loi"])
    }

    @Sendable func publish(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        let question = try await load(context)
        let form = try await request.decodeForm(PublishForm.self)
        guard let value = form.published, ["0", "1"].contains(value) else {
            throw PortalError.badRequest("Yêu cầu công khai không hợp lệ.", fields: [.init(name: "published", reason: "0 hoặc 1")])
        }
        try await store.setPublished(id: question.id, agencyCode: question.agencyCode, published: value == "1", at: Clock.nowMilliseconds())
        return Response(status: .seeOther,
                        headers: [.location: "/mot-cua/hoi-dap/\(question.id)?thong-bao=\(value == "1" ? "da-cong-khai" : "da-an")"])
    }

    /// The question the path names, if it was sent to the staff member's own agency; any other is "not found".
    private func load(_ context: AuthenticatedContext) async throws -> Question {
        let agency = try QuestionPolicy.agencyCode(of: context.user)
        guard let id = context.parameters.get("id", as: Int64.self),
              let question = try await store.question(id: id, agencyCode: agency)
        else { throw QuestionError.notFound }
        return question
    }
}

struct AnswerForm: Decodable {
    var answer: String?
    var publish: String?
    var publishShown: String?

    enum CodingKeys: String, CodingKey {
        case answer, publish
        case publishShown = "publish_shown"
    }
}

struct PublishForm: Decodable {
    var published: String?
}
