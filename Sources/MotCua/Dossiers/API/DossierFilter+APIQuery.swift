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
