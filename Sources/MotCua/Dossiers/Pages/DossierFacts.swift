import Foundation

/// The facts of a dossier shown to its applicant and to staff: code, status, dates, request, own fields, delivery.
enum DossierFacts {
    static func items(_ dossier: Dossier, procedure: Procedure?) -> [InfoItem] {
        var facts = [InfoItem(label: "Trạng thái", value: dossier.status.label)]
        if let code = dossier.code { facts.insert(InfoItem(label: "Mã hồ sơ", value: code), at: 0) }
        if let submitted = dossier.submittedAt { facts.append(InfoItem(label: "Ngày nộp", value: VietnameseFormat.dateTime(submitted))) }
        if let accepted = dossier.acceptedAt { facts.append(InfoItem(label: "Ngày tiếp nhận", value: VietnameseFormat.dateTime(accepted))) }
        if let due = dossier.dueAt { facts.append(InfoItem(label: "Ngày hẹn trả", value: VietnameseFormat.dateTime(due))) }
        if !dossier.requestSummary.isEmpty { facts.append(InfoItem(label: "Nội dung yêu cầu", value: dossier.requestSummary)) }
        for field in procedure?.formFields ?? [] {
            if let value = dossier.formValues[field.key], !value.isEmpty { facts.append(InfoItem(label: field.label, value: value)) }
        }
        if let method = dossier.deliveryMethod {
            facts.append(InfoItem(label: "Nhận kết quả", value: method.label + (dossier.deliveryAddress.map { ": \($0)" } ?? "")))
        }
        return facts
    }
}
