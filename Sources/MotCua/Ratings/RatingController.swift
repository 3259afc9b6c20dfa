import Foundation
import HTTPTypes
import Hummingbird

/// The agency's staff read the satisfaction ratings of their agency's dossiers and answer comments. Staff of
/// another agency see none of them: a rating of another agency's dossier is "not found".
struct RatingController: Sendable {
    let ratings: RatingStore
    let renderer: HTMLRenderer

    func addRoutes(to router: Router<AppRequestContext>) {
        let staff = router.group("mot-cua", context: AuthenticatedContext.self)
        staff.get("danh-gia", use: list)
        staff.post("danh-gia/{id}/tra-loi", use: reply)
    }

    @Sendable func list(_ request: Request, context: AuthenticatedContext) async throws -> HTML {
        try DossierWorkflow.checkWorksOnDossiers(context.user)
        let notice = request.queryValues["thong-bao"] == "da-tra-loi" ? "Đã lưu câu trả lời." : nil
        return try await page(context, notice: notice)
    }

    private func page(_ context: AuthenticatedContext, notice: String? = nil, problem: String? = nil, failedID: Int64? = nil,
                      typed: String = "", status: HTTPResponse.Status = .ok) async throws -> HTML {
        let found = try await ratings.ratings(agencyCode: context.user.agencyCode ?? "")
        let rows = found.map { rating in
            RatingsPage.Row(
                id: rating.dossierID, code: rating.dossierCode, procedureName: rating.procedureName,
                ratedAt: VietnameseFormat.dateTime(rating.ratedAt),
                answers: RatingQuestion.allCases.map { RatingsPage.Answer(text: $0.text, value: String(rating.answers[$0] ?? 0)) },
                satisfied: rating.isSatisfied, comment: rating.comment.nonEmpty, reply: rating.reply.nonEmpty,
                repliedAt: rating.repliedAt.map(VietnameseFormat.dateTime),
                draft: rating.dossierID == failedID ? typed : rating.reply, error: rating.dossierID == failedID ? problem : nil)
        }
        let satisfied = found.count { $0.isSatisfied }
        return try renderer.render(RatingsPage(
            chrome: PageChrome(title: "Đánh giá mức độ hài lòng", section: .backOffice, context: context), csrfToken: context.csrfToken,
            rows: rows, hasRows: !rows.isEmpty,
            summary: "\(found.count) đánh giá gần nhất, \(satisfied) hài lòng (điểm trung bình từ 4 trở lên).",
            notice: notice, problem: problem), status: status)
    }

    @Sendable func reply(_ request: Request, context: AuthenticatedContext) async throws -> Response {
        try DossierWorkflow.checkWorksOnDossiers(context.user)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw RatingError.notFound }
        let text = try await request.decodeForm(ReplyForm.self).reply ?? ""
        do {
            try await ratings.reply(dossierID: id, agencyCode: context.user.agencyCode ?? "", text: text, by: context.user.id,
                                    at: Clock.nowMilliseconds())
        } catch RatingError.replyInvalid(let message) {
            return try await page(context, problem: message, failedID: id, typed: text, status: .badRequest)
                .response(from: request, context: context)
        }
        return Response(status: .seeOther, headers: [.location: "/mot-cua/danh-gia?thong-bao=da-tra-loi"])
    }
}

struct ReplyForm: Decodable {
    var reply: String?
}

struct RatingsPage: PageModel {
    static let template = "backoffice/ratings"

    struct Answer: Sendable, Encodable {
        var text: String
        var value: String
    }

    struct Row: Sendable, Encodable {
        var id: Int64
        var code: String
        var procedureName: String
        var ratedAt: String
        var answers: [Answer]
        var satisfied: Bool
        var comment: String?
        var reply: String?
        var repliedAt: String?
        var draft: String
        var error: String?
    }

    var chrome: PageChrome
    var csrfToken: String
    var rows: [Row]
    var hasRows: Bool
    var summary: String
    var notice: String?
    var problem: String?
}
