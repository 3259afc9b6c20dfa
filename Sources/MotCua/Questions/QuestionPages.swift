import Foundation

/// "Gửi câu hỏi": without an agency, a first step that chooses one (a GET form, no cookie); with it, the question
/// form, its procedures to choose from, and the visitor's details (prefilled for a signed-in citizen).
struct AskPage: PageModel {
    static let template = "questions/ask"

    var chrome: PageChrome
    var csrfToken: String
    var chooseAgency: Bool
    var agencies: [SelectOption]
    var agencyCode: String
    var agencyName: String
    var procedures: [SelectOption]
    var procedureError: String?
    var agencyError: String?
    var fields: [FormInput]
    var subject: FormInput
    var body: String
    var bodyError: String?
    var maxBody = QuestionInput.maxBody
    var hasErrors: Bool
    var errorLinks: [FormErrorLink]
    var problem: String?

    init(context: AppRequestContext, snapshot: CatalogReader.Snapshot, form: AskForm, errors: FieldErrors, problem: String?) {
        let agencyCode = (form.agency ?? "").trimmingCharacters(in: .whitespaces)
        let agency = snapshot.agencies.first { $0.code == agencyCode }
        let procedureCode = (form.procedure ?? "").trimmingCharacters(in: .whitespaces)
        chooseAgency = agency == nil
        // Only the question form posts: the first step reads, and sets no cookie for a visitor not signed in.
        chrome = PageChrome(title: "Gửi câu hỏi, góp ý", context: context)
        csrfToken = agency == nil ? "" : context.csrfToken
        agencies = snapshot.agencies.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == agencyCode) }
        self.agencyCode = agency?.code ?? ""
        agencyName = agency?.name ?? ""
        procedures = [SelectOption(value: "", label: "Câu hỏi chung về cơ quan (không về thủ tục cụ thể)", selected: procedureCode.isEmpty)]
            + snapshot.index.entries.filter { $0.agencyCode == agency?.code }.map {
                SelectOption(value: $0.code, label: "\($0.name) (\($0.code))", selected: $0.code == procedureCode)
            }
        agencyError = errors["agency"]
        procedureError = errors["procedure"]
        fields = [
            FormInput("name", "Họ và tên", value: form.name ?? "", errors: errors, autocomplete: "name", maxLength: QuestionInput.maxName),
            FormInput("email", "Thư điện tử", type: "email", value: form.email ?? "", errors: errors,
                      hint: "Không bắt buộc. Câu trả lời sẽ được gửi đến địa chỉ này.", autocomplete: "email", required: false, maxLength: 254),
            FormInput("phone", "Số điện thoại", type: "tel", value: form.phone ?? "", errors: errors, autocomplete: "tel", required: false,
                      maxLength: QuestionInput.maxPhone),
        ]
        subject = FormInput("subject", "Tiêu đề", value: form.subject ?? "", errors: errors, required: false, maxLength: QuestionInput.maxSubject)
        body = form.body ?? ""
        bodyError = errors["body"]
        // The summary lists the fields in the order of the form.
        let order = ["agency", "procedure", "name", "email", "phone", "subject", "body"]
        errorLinks = order.compactMap { name in
            errors[name].map { FormErrorLink(href: "#" + (name == "agency" ? "co-quan" : name == "procedure" ? "thu-tuc" : name), message: $0) }
        }
        hasErrors = !errorLinks.isEmpty
        self.problem = problem
    }
}

/// The agency's list of questions, unanswered first.
struct StaffQuestionsPage: PageModel {
    static let template = "questions/staff-list"

    struct Row: Sendable, Encodable {
        var url: String
        var title: String
        var procedureName: String?
        var askerName: String
        var askedAt: String
        var status: String
        var waiting: Bool
        var published: Bool

        init(_ question: Question) {
            url = "/mot-cua/hoi-dap/\(question.id)"
            title = question.subject.nonEmpty ?? Self.excerpt(question.body)
            procedureName = question.procedureName
            askerName = question.askerName
            askedAt = VietnameseFormat.dateTime(question.askedAt)
            status = question.status.label
            waiting = question.status == .waiting
            published = question.isPublished
        }

        static func excerpt(_ text: String) -> String {
            let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
            return line.count > 80 ? String(line.prefix(80)) + "…" : line
        }
    }

    var chrome: PageChrome
    var rows: [Row]
    var hasRows: Bool
    var summary: String
    var previous: String?
    var next: String?
    var pageNumber: Int
}

/// One question for the staff: what was asked, by whom, the answer form, and publishing as FAQ.
struct QuestionPage: PageModel {
    static let template = "questions/staff-show"

    var chrome: PageChrome
    var csrfToken: String
    var id: Int64
    var heading: String
    var procedureName: String?
    var askedAt: String
    var askerName: String
    var askerEmail: String?
    var askerPhone: String?
    var signedInAsker: Bool
    var subject: String?
    var body: String
    var status: String
    var answered: Bool
    var answeredAt: String?
    var draft: String
    var error: String?
    var notice: String?
    var canPublish: Bool
    var published: Bool
    var publishedAt: String?
    var maxAnswer = QuestionInput.maxBody

    init(context: AuthenticatedContext, question q: Question, draft: String, error: String? = nil, notice: String? = nil) {
        chrome = PageChrome(title: "Câu hỏi số \(q.id)", section: .backOffice, context: context)
        csrfToken = context.csrfToken
        id = q.id
        heading = "Câu hỏi số \(q.id)"
        procedureName = q.procedureName
        askedAt = VietnameseFormat.dateTime(q.askedAt)
        askerName = q.askerName
        askerEmail = q.askerEmail.nonEmpty
        askerPhone = q.askerPhone.nonEmpty
        signedInAsker = q.askerID != nil
        subject = q.subject.nonEmpty
        body = q.body
        status = q.status.label
        answered = q.status == .answered
        answeredAt = q.answeredAt.map(VietnameseFormat.dateTime)
        self.draft = draft
        self.error = error
        self.notice = notice
        canPublish = q.procedureCode != nil
        published = q.isPublished
        publishedAt = q.publishedAt.map(VietnameseFormat.dateTime)
    }
}

/// One published question and its answer, as the procedure page's FAQ tab shows it.
struct FAQRow: Sendable, Encodable {
    var anchor: String
    var title: String
    var body: String
    var answer: String
    var answeredAt: String

    init(_ question: Question) {
        anchor = "cau-hoi-\(question.id)"
        title = question.subject.nonEmpty ?? StaffQuestionsPage.Row.excerpt(question.body)
        body = question.body
        answer = question.answer
        answeredAt = question.answeredAt.map(VietnameseFormat.day) ?? ""
    }
}
