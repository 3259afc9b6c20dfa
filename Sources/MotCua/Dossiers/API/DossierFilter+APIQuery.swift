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
