import Foundation

extension DossierFilter {
    /// The back office's search form (`ma`, `nguoi-nop`, `thu-tuc`, `trang-thai`, `kenh`, `tu-ngay`, `den-ngay`):
    /// the filter, and the first problem in Vietnamese when a value is malformed.
    static func fromPage(_ query: QueryValues) -> (DossierFilter, String?) {
        var filter = DossierFilter()
        var problem: String?
        filter.status = query["trang-thai"].flatMap(Int.init).flatMap(DossierStatus.init(rawValue:))
        filter.channel = query["kenh"].flatMap(Int.init).flatMap(DossierChannel.init(rawValue:))
        let code = (query["ma"] ?? "").trimmingCharacters(in: .whitespaces)
        if !code.isEmpty {
            if DossierCode.isWellFormed(code) { filter.code = code } else { problem = "Mã hồ sơ không đúng dạng <mã cơ quan>-<YYMMDD>-<NNNN>." }
        }
        filter.applicant = (query["nguoi-nop"] ?? "").trimmingCharacters(in: .whitespaces).nonEmpty.map { String($0.prefix(100)) }
        filter.procedureCode = (query["thu-tuc"] ?? "").trimmingCharacters(in: .whitespaces).nonEmpty.map { String($0.prefix(40)) }
        for (key, isEnd) in [("tu-ngay", false), ("den-ngay", true)] {
            guard let raw = query[key]?.nonEmpty else { continue }
            guard let day = CivilDate(iso: raw) else {
                problem = problem ?? "Ngày phải có dạng năm-tháng-ngày (YYYY-MM-DD)."
                continue
            }
            let start = OfficeHours.instant(on: isEnd ? day.adding(days: 1) : day)
            if isEnd { filter.submittedBefore = start } else { filter.submittedFrom = start }
        }
        return (filter, problem)
    }

    /// The filter as the form's query, to keep across pages.
    var pageQuery: [String: String?] {
        [
            "ma": code, "nguoi-nop": applicant, "thu-tuc": procedureCode, "trang-thai": status.map { String($0.rawValue) },
            "kenh": channel.map { String($0.rawValue) },
            "tu-ngay": submittedFrom.map { OfficeHours.civilDate(of: $0).description },
            "den-ngay": submittedBefore.map { OfficeHours.civilDate(day: OfficeHours.split($0).day - 1).description },
        ]
    }
}
