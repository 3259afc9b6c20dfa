import Foundation
import HTTPTypes
import Hummingbird

/// "Tra cứu hồ sơ": anyone may look a dossier up by its code and see its procedure, agency, dates and
/// status, never who filed it. Unknown codes count against the asking address, to stop enumeration.
struct LookupController: Sendable {
    let store: DossierStore
    let throttle: Throttle
    let renderer: HTMLRenderer

    static let misses = Throttle.Rule(scope: "lookup-miss", limit: 20, window: .seconds(10 * 60))

    func addRoutes(to router: Router<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        router.get("/tra-cuu", use: page)
        api.get("dossiers/lookup", use: lookupAPI)
    }

    enum Outcome {
        case none
        case found(PublicDossierStatus)
        case notFound
        case malformed
        case throttled(until: Int64)
    }

    func lookup(_ code: String, ip: String) async throws -> Outcome {
        guard !code.isEmpty else { return .none }
        let wellFormed = DossierCode.isWellFormed(code)
        // The dossier and the address's misses in one statement: a lookup of a real code is one query. A blocked
        // address is told so whether or not the code exists; a miss reads the misses alone.
        let (blockedUntil, found) = try await store.database.readSeveral { db -> (Int64?, PublicDossierStatus?) in
            if wellFormed, let (status, limitingMiss) = try await DossierStore.publicStatus(
                code: code, alongWith: Throttle.limitingEvent(Self.misses, subject: ip), in: db) {
                let until = Throttle.blockedUntil(Self.misses, limitingEventAt: limitingMiss)
                return (until, until == nil ? status : nil)
            }
            return (try await Throttle.blockedUntil(Self.misses, subject: ip, in: db), nil)
        }
        if let blockedUntil { return .throttled(until: blockedUntil) }
        guard wellFormed else {
            try await throttle.record(Self.misses, subject: ip)
            return .malformed
        }
        guard let status = found else {
            try await throttle.record(Self.misses, subject: ip)
            return .notFound
        }
        return .found(status)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> HTML {
        let code = String((request.queryValues["ma"] ?? "").trimmingCharacters(in: .whitespaces).uppercased().prefix(64))
        let outcome = try await lookup(code, ip: context.clientIP)
        var page = LookupPage(chrome: PageChrome(title: "Tra cứu hồ sơ", section: .lookup, context: context), code: code)
        var status = HTTPResponse.Status.ok
        switch outcome {
        case .none: break
        case .found(let found):
            page.result = LookupResult(
                code: found.code, procedureName: found.procedureName, agencyName: found.agencyName, status: found.statusLabel,
                submittedAt: found.submittedAt.map(VietnameseFormat.dateTime), dueAt: found.dueAt.map(VietnameseFormat.dateTime),
                rescheduledTo: found.rescheduled ? found.dueAt.map(VietnameseFormat.day) : nil)
        case .notFound:
            page.problem = "Không tìm thấy hồ sơ có mã \(code). Hãy kiểm tra lại mã trên giấy biên nhận hoặc thư thông báo."
            status = .notFound
        case .malformed:
            page.problem = "Mã hồ sơ không đúng định dạng (ví dụ: 000.00.07.H52-250315-0001)."
            status = .badRequest
        case .throttled(let until):
            page.problem = "Bạn đã tra cứu sai nhiều lần. Vui lòng thử lại sau \(VietnameseFormat.dateTime(until))."
            status = .tooManyRequests
        }
        return try renderer.render(page, status: status)
    }

    @Sendable func lookupAPI(_ request: Request, context: AppRequestContext) async throws -> PublicDossierStatus {
        let code = (request.queryValues["code"] ?? "").trimmingCharacters(in: .whitespaces)
        switch try await lookup(code, ip: context.clientIP) {
        case .found(let found): return found
        case .none, .malformed:
            throw PortalError.badRequest("Mã hồ sơ không đúng định dạng.", fields: [.init(name: "code", reason: "Mã hồ sơ không đúng định dạng.")])
        case .notFound: throw PortalError.notFound("Không tìm thấy hồ sơ có mã này.")
        case .throttled: throw PortalError(status: .tooManyRequests, message: "Tra cứu sai quá nhiều lần; vui lòng thử lại sau.")
        }
    }
}

extension PublicDossierStatus: ResponseEncodable {}

