import Foundation
import HTTPTypes

/// The standard questions of the satisfaction rating, each answered 1 (very dissatisfied) to 5 (very satisfied).
enum RatingQuestion: String, Sendable, CaseIterable {
    case information
    case attitude
    case timeliness
    case outcome

    var text: String {
        switch self {
        case .information: "Việc tiếp cận thông tin, hướng dẫn về thủ tục hành chính"
        case .attitude: "Thái độ, tinh thần phục vụ của cán bộ, công chức"
        case .timeliness: "Thời gian giải quyết so với ngày hẹn trả kết quả"
        case .outcome: "Kết quả giải quyết thủ tục hành chính"
        }
    }

    static let scale: [(value: Int, label: String)] = [
        (1, "Rất không hài lòng"), (2, "Không hài lòng"), (3, "Bình thường"), (4, "Hài lòng"), (5, "Rất hài lòng"),
    ]
}

/// One applicant's rating of one dossier's service, and the agency's answer.
struct Rating: Sendable, Equatable {
    var dossierID: Int64
    var dossierCode: String
    var procedureName: String
    var ratedAt: Int64
    var answers: [RatingQuestion: Int]
    var comment: String
    var reply: String
    var repliedAt: Int64?

    /// Satisfied when the answers average 4 ("hài lòng") or more: their sum is at least 4 per question.
    static let satisfiedSum = 4 * RatingQuestion.allCases.count
    var isSatisfied: Bool { answers.values.reduce(0, +) >= Self.satisfiedSum }
}

/// A rating as typed, checked before anything is saved.
struct RatingInput: Sendable, Equatable {
    static let maxCommentLength = 2000

    var answers: [RatingQuestion: Int]
    var comment: String

    /// The answers and comment of a form, or the Vietnamese reasons why not, per field.
    static func check(answers raw: [RatingQuestion: String?], comment rawComment: String?) -> Result<RatingInput, RatingError> {
        var answers: [RatingQuestion: Int] = [:]
        var errors: [ProblemDetails.FieldError] = []
        for question in RatingQuestion.allCases {
            let text = (raw[question] ?? nil)?.trimmingCharacters(in: .whitespaces) ?? ""
            guard let value = Int(text), (1...5).contains(value), text.count == 1 else {
                errors.append(.init(name: question.rawValue, reason: "Hãy chọn mức từ 1 đến 5 cho câu \"\(question.text)\"."))
                continue
            }
            answers[question] = value
        }
        let comment = (rawComment ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if comment.count > maxCommentLength {
            errors.append(.init(name: "comment", reason: "Ý kiến dài tối đa \(maxCommentLength) ký tự (hiện có \(comment.count))."))
        }
        guard errors.isEmpty else { return .failure(.invalid(errors)) }
        return .success(RatingInput(answers: answers, comment: comment))
    }
}

enum RatingError: Error, Sendable, Equatable, PortalErrorConvertible {
    case invalid([ProblemDetails.FieldError])
    case notReturned
    case alreadyRated
    case notFound
    case replyInvalid(String)

    var portalError: PortalError {
        switch self {
        case .invalid(let fields):
            PortalError(status: .badRequest, message: fields.map(\.reason).joined(separator: " "), fieldErrors: fields)
        case .notReturned:
            PortalError(status: .conflict, message: "Chỉ đánh giá được sau khi đã nhận kết quả giải quyết hồ sơ.")
        case .alreadyRated:
            PortalError(status: .conflict, message: "Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ được đánh giá một lần.")
        case .notFound:
            PortalError(status: .notFound, message: "Không tìm thấy đánh giá này.")
        case .replyInvalid(let message):
            PortalError(status: .badRequest, message: message)
        }
    }
}

/// The rating part of the applicant's dossier page: the form while it may be given, the rating once given.
struct RatingSection: Sendable, Encodable {
    struct Option: Sendable, Encodable {
        var value: Int
        var label: String
        var checked: Bool
        var id: String
    }

    struct Question: Sendable, Encodable {
        var name: String
        var text: String
        var options: [Option]
        var error: String?
    }

    struct Answer: Sendable, Encodable {
        var text: String
        var value: String
    }

    var canRate: Bool
    var questions: [Question]
    var comment: String
    var commentError: String?
    var maxComment = RatingInput.maxCommentLength
    var given: Given?

    struct Given: Sendable, Encodable {
        var ratedAt: String
        var answers: [Answer]
        var yourComment: String?
        var reply: String?
        var repliedAt: String?
    }

    /// For a dossier with `rating` (if any); `typed` and `errors` refill the form after a refusal.
    init(status: DossierStatus, rating: Rating?, typed: [String: String] = [:], errors: [ProblemDetails.FieldError] = []) {
        canRate = status == .returned && rating == nil
        comment = typed["comment"] ?? ""
        commentError = errors.first { $0.name == "comment" }?.reason
        questions = RatingQuestion.allCases.map { question in
            Question(
                name: question.rawValue, text: question.text,
                options: RatingQuestion.scale.map {
                    Option(value: $0.value, label: "\($0.value) – \($0.label)", checked: typed[question.rawValue] == String($0.value),
                           id: "\(question.rawValue)-\($0.value)")
                },
                error: errors.first { $0.name == question.rawValue }?.reason)
        }
        given = rating.map { rating in
            Given(
                ratedAt: VietnameseFormat.dateTime(rating.ratedAt),
                answers: RatingQuestion.allCases.map { question in
                    let value = rating.answers[question] ?? 0
                    return Answer(text: question.text, value: "\(value) – \(RatingQuestion.scale.first { $0.value == value }?.label ?? "")")
                },
                yourComment: rating.comment.nonEmpty, reply: rating.reply.nonEmpty, repliedAt: rating.repliedAt.map(VietnameseFormat.dateTime))
        }
    }
}
