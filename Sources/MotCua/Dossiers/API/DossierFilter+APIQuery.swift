import Foundation
import Hummingbird

extension DossierFilter {
    /// `?status=N&code=CODE` of the list APIs; a malformed value is a 400 naming the parameter.
    init(apiQuery request: Request) throws {
        self.init()
        if let raw = request.queryValues["status"] {
            guard let value = Int(raw).flatMap(DossierStatus.init(rawValue:)) else {
                throw PortalError.badRequest("Trạng thái phải là số từ 0 đến 10.", fields: [.init(name: "status", reason: "0–10")])
            }
            status = value
        }
        if let raw = request.queryValues["code"] {
            guard DossierCode.isWellFormed(raw) else {
                throw PortalError.badRequest("Mã hồ sơ không đúng dạng <mã cơ quan>-<YYMMDD>-<NNNN>.",
                                             fields: [.init(name: "code", reason: "format")])
            }
            code = raw
        }
        applicant = request.queryValues["applicant"].map { String($0.trimmingCharacters(in: .whitespaces).prefix(100)) }?.nonEmpty
        procedureCode = request.queryValues["procedure"].map { String($0.trimmingCharacters(in: .whitespaces).prefix(40)) }?.nonEmpty
        if let raw = request.queryValues["channel"] {
            guard let value = Int(raw).flatMap(DossierChannel.init(rawValue:)) else {
                throw PortalError.badRequest("Kênh nộp phải là 1 (trực tiếp), 2 (trực tuyến) hoặc 3 (bưu chính).",
                                             fields: [.init(name: "channel", reason: "1–3")])
            }
            channel = value
        }
        for (name, isEnd) in [("from", false), ("to", true)] {
            guard let raw = request.queryValues[name] else { continue }
            guard let day = CivilDate(iso: raw) else {
                throw PortalError.badRequest("Ngày phải có dạng YYYY-MM-DD.", fields: [.init(name: name, reason: "format")])
            }
            let start = OfficeHours.instant(on: isEnd ? day.adding(days: 1) : day)
            if isEnd { submittedBefore = start } else { submittedFrom = start }
        }
    }
}

/// `?cursor=…&limit=N` of the list APIs: where the page starts and how many rows it holds (1–100, 100 by default).
struct ListWindow: Sendable {
    var after: DossierCursor?
    var limit = 100

    init(apiQuery request: Request) throws {
        if let raw = request.queryValues["cursor"] {
            guard let cursor = DossierCursor(raw) else {
                throw PortalError.badRequest("Con trỏ trang không hợp lệ: dùng giá trị nextCursor của trang trước.",
                                             fields: [.init(name: "cursor", reason: "format")])
            }
            after = cursor
        }
        if let raw = request.queryValues["limit"] {
            guard let value = Int(raw), (1...100).contains(value) else {
                throw PortalError.badRequest("Số hồ sơ mỗi trang phải từ 1 đến 100.", fields: [.init(name: "limit", reason: "1–100")])
            }
            limit = value
        }
    }
}
