import Crypto
import Foundation
import HTTPTypes

/// Whether the agency has answered a question yet. Stored as 0 and 1, so the staff list reads the
/// unanswered ones first straight from its index.
enum QuestionStatus: Int, Sendable, CaseIterable {
    case waiting = 0
    case answered = 1

    var label: String {
        switch self {
        case .waiting: "Chưa trả lời"
        case .answered: "Đã trả lời"
        }
    }
}

/// A question (or feedback) a visitor sent to an agency, optionally about one of its procedures, with the
/// agency's answer once given.
struct Question: Sendable, Equatable {
    var id: Int64
    var agencyCode: String
    var agencyName: String
    var procedureCode: String?
    var procedureName: String?
    var askerName: String
    var askerEmail: String
    var askerPhone: String
    var askerID: Int64?
    var subject: String
    var body: String
    var askedAt: Int64
    var status: QuestionStatus
    var answer: String
    var answeredAt: Int64?
    var publishedAt: Int64?

    var isPublished: Bool { publishedAt != nil }
}

/// A question as typed, checked before anything is saved.
struct QuestionInput: Sendable, Equatable {
    static let maxBody = 4_000
    static let maxSubject = 200
    static let maxName = 100
    static let maxPhone = 20

    var agencyCode: String
    var procedureCode: String?
    var name: String
    var email: String
    var phone: String
    var subject: String
    var body: String

    /// The form's fields, or the Vietnamese reason for each one that is wrong. Whether the agency and the
    /// procedure exist is the store's to say (it reads them in the same transaction as it saves).
    static func check(_ form: AskForm) -> Result<QuestionInput, QuestionError> {
        var errors = FieldErrors()
        let agency = (form.agency ?? "").trimmingCharacters(in: .whitespaces)
        if !Identifiers.isAgencyCode(agency) { errors["agency"] = "Vui lòng chọn cơ quan nhận câu hỏi." }
        let procedure = (form.procedure ?? "").trimmingCharacters(in: .whitespaces)
        if !procedure.isEmpty, !Identifiers.isProcedureCode(procedure) {
            errors["procedure"] = "Không tìm thấy thủ tục này của cơ quan đã chọn."
        }
        let name = errors.text(singleLine(form.name), field: "name", label: "Họ và tên", max: maxName)
        let email = singleLine(form.email)
        if !email.isEmpty, !Identifiers.isEmail(email) {
            errors["email"] = "Địa chỉ thư điện tử không đúng dạng (ví dụ: ten@example.vn)."
        }
        let phone = singleLine(form.phone)
        if !phone.isEmpty, phone.count > maxPhone || !phone.allSatisfy({ $0.isASCII && ($0.isNumber || " +.-()".contains($0)) }) {
            errors["phone"] = "Số điện thoại chỉ gồm chữ số (ví dụ: 0912 345 678)."
        }
        let subject = singleLine(form.subject)
        if subject.count > maxSubject {
            errors["subject"] = "Tiêu đề dài tối đa \(maxSubject) ký tự (hiện có \(subject.count))."
        } else if hasControlCharacters(subject, allowingLineBreaks: false) {
            errors["subject"] = "Tiêu đề chứa ký tự không hợp lệ."
        }
        let body = (form.body ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if body.isEmpty {
            errors["body"] = "Vui lòng nhập nội dung câu hỏi."
        } else if body.count > maxBody {
            errors["body"] = "Nội dung câu hỏi dài tối đa \(maxBody) ký tự (hiện có \(body.count))."
        } else if hasControlCharacters(body, allowingLineBreaks: true) {
            errors["body"] = "Nội dung câu hỏi chứa ký tự không hợp lệ."
        }
        guard errors.isEmpty else { return .failure(.invalid(errors)) }
        return .success(QuestionInput(agencyCode: agency, procedureCode: procedure.nonEmpty, name: name, email: email, phone: phone,
                                      subject: subject, body: body))
    }

    private static func singleLine(_ value: String?) -> String {
        (value ?? "").trimmingCharacters(in: .whitespaces)
    }

    private static func hasControlCharacters(_ text: String, allowingLineBreaks: Bool) -> Bool {
        text.unicodeScalars.contains { scalar in
            scalar.properties.generalCategory == .control && !(allowingLineBreaks && ["\n", "\r", "\t"].contains(scalar))
        }
    }

    /// The digest kept instead of the asker's address.
    static func clientHash(_ address: String) -> String {
        SHA256.hash(data: Data("motcua-question:\(address)".utf8)).hexDigits
    }
}

enum QuestionError: Error, Sendable, Equatable, PortalErrorConvertible {
    case invalid(FieldErrors)
    case throttled(until: Int64)
    case notFound
    case notAnswered
    case noProcedure
    case answerInvalid(String)
    case forbidden

    var portalError: PortalError {
        switch self {
        case .invalid(let errors):
            PortalError(status: .badRequest, message: "Vui lòng sửa các mục được đánh dấu.",
                        fieldErrors: errors.messages.sorted { $0.key < $1.key }.map { .init(name: $0.key, reason: $0.value) })
        case .throttled(let until):
            PortalError(status: .tooManyRequests, message: Self.throttledMessage(until),
                        retryAfterSeconds: Self.retryAfterSeconds(until))
        case .notFound:
            PortalError(status: .notFound, message: "Không tìm thấy câu hỏi này.")
        case .notAnswered:
            PortalError(status: .conflict, message: "Chỉ công khai được câu hỏi đã có câu trả lời.")
        case .noProcedure:
            PortalError(status: .conflict, message: "Chỉ công khai được câu hỏi về một thủ tục cụ thể (câu hỏi chung không có trang thủ tục).")
        case .answerInvalid(let message):
            PortalError(status: .badRequest, message: message)
        case .forbidden:
            PortalError(status: .forbidden, message: "Chỉ cán bộ của cơ quan được xem và trả lời câu hỏi gửi đến cơ quan.")
        }
    }

    static func throttledMessage(_ until: Int64) -> String {
        "Bạn đã gửi nhiều câu hỏi trong thời gian ngắn. Vui lòng gửi lại sau \(VietnameseFormat.dateTime(until))."
    }

    static func retryAfterSeconds(_ until: Int64) -> Int {
        max(1, Int((until - Clock.nowMilliseconds() + 999) / 1000))
    }
}

/// Who may read and answer the questions sent to an agency: its own staff in an agency role (reception,
/// processors, leaders and the agency administrator). A system administrator belongs to no agency.
enum QuestionPolicy {
    static let roles: Set<StaffRole> = [.receptionist, .processor, .leader, .agencyAdmin]

    static func agencyCode(of user: User) throws(QuestionError) -> String {
        guard user.isStaff, let role = user.role, roles.contains(role), let agency = user.agencyCode else { throw .forbidden }
        return agency
    }
}

/// The ask form's fields.
struct AskForm: Decodable, Sendable {
    var agency: String?
    var procedure: String?
    var name: String?
    var email: String?
    var phone: String?
    var subject: String?
    var body: String?
}
