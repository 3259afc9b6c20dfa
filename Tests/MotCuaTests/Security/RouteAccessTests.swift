import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// Who may use each route. Every route the router has must be listed here: a new route without a rule
/// fails `everyRouteHasARule`, so access is decided on purpose, never by accident.
enum RouteAccess: Equatable {
    /// Anyone, signed in or not.
    case everyone
    /// A signed-in account (pages) or a valid API token (API).
    case signedIn
    /// A signed-in staff member with one of these roles.
    case role(Set<StaffRole>)
}

let routeRules: [String: RouteAccess] = [
    "GET /": .everyone,
    "GET /thu-tuc": .everyone,
    "GET /thu-tuc/{agency}/{code}": .everyone,
    "GET /thu-tuc/{agency}/{code}/bieu-mau/{number}": .everyone,
    "GET /healthz": .everyone,
    "GET /readyz": .everyone,
    "GET /metrics": .everyone,  // behind its own bearer token (MOTCUA_METRICS_TOKEN), off without one
    "GET /api/openapi.yaml": .everyone,
    "GET /api/v1/procedures": .everyone,
    "GET /api/v1/procedures/{agency}/{code}": .everyone,
    "GET /api/v1/agencies": .everyone,
    "GET /api/v1/fields": .everyone,
    "GET /api/v1/me": .signedIn,
    "GET /api/v1/me/procedures": .signedIn,
    "GET /tra-cuu": .everyone,
    "GET /thanh-toan/vnpay/ket-qua": .everyone,
    "GET /api/v1/payments/vnpay/ipn": .everyone,
    "GET /ho-so/{id}/thanh-toan": .signedIn,
    "GET /api/v1/dossiers/{id}/payments": .signedIn,
    "POST /api/v1/dossiers/{id}/payments": .signedIn,
    "POST /ho-so/{id}/thanh-toan/truc-tuyen": .signedIn,
    "GET /ho-so/{id}/bien-lai/{receipt}": .signedIn,
    "POST /mot-cua/ho-so/{id}/nop-phi": .role([.receptionist]),
    "POST /mot-cua/ho-so/{id}/hoan-phi": .role([.receptionist, .leader]),
    "GET /mot-cua/ho-so/{id}/bien-lai/{receipt}": .role([.receptionist, .processor, .leader]),
    "GET /mot-cua/sao-ke": .role([.receptionist]),
    "POST /mot-cua/sao-ke": .role([.receptionist]),
    "GET /thong-ke": .everyone,
    "GET /thong-ke/{agency}": .everyone,
    "GET /api/v1/statistics": .everyone,
    "GET /api/v1/statistics/{agency}": .everyone,
    "GET /thu-tuc/{agency}/{code}/nop-ho-so": .signedIn,
    "POST /thu-tuc/{agency}/{code}/nop-ho-so": .signedIn,
    "GET /ho-so": .signedIn,
    "GET /ho-so/{id}": .signedIn,
    "POST /ho-so/{id}/tep/{position}": .signedIn,
    "GET /ho-so/{id}/tep-dinh-kem/{attachment}": .signedIn,
    "GET /ho-so/{id}/phieu/{slip}": .signedIn,
    "POST /ho-so/{id}/nop": .signedIn,
    "POST /ho-so/{id}/rut": .signedIn,
    "POST /ho-so/{id}/danh-gia": .signedIn,
    "GET /api/v1/dossiers": .signedIn,
    "POST /api/v1/dossiers": .signedIn,
    "GET /api/v1/dossiers/{id}": .signedIn,
    "PUT /api/v1/dossiers/{id}/documents/{position}/files": .signedIn,
    "POST /api/v1/dossiers/{id}/submit": .signedIn,
    "POST /api/v1/dossiers/{id}/withdraw": .signedIn,
    "GET /api/v1/dossiers/{id}/attachments/{attachment}": .signedIn,
    "GET /api/v1/dossiers/lookup": .everyone,
    "GET /dang-ky": .everyone,
    "POST /dang-ky": .everyone,
    "GET /xac-thuc-email": .everyone,
    "POST /xac-thuc-email": .everyone,
    "GET /dang-nhap": .everyone,
    "POST /dang-nhap": .everyone,
    "POST /dang-xuat": .everyone,
    "GET /quen-mat-khau": .everyone,
    "POST /quen-mat-khau": .everyone,
    "GET /dat-lai-mat-khau": .everyone,
    "POST /dat-lai-mat-khau": .everyone,
    "GET /tai-khoan": .signedIn,
    "POST /tai-khoan/ho-so": .signedIn,
    "POST /tai-khoan/mat-khau": .signedIn,
    "POST /tai-khoan/dang-xuat-noi-khac": .signedIn,
    "POST /tai-khoan/gui-lai-xac-thuc": .signedIn,
    "POST /tai-khoan/token": .signedIn,
    "POST /tai-khoan/token/{id}/thu-hoi": .signedIn,
    "GET /quan-tri/can-bo": .role([.agencyAdmin]),
    "POST /quan-tri/can-bo": .role([.agencyAdmin]),
    "POST /quan-tri/can-bo/{id}/khoa": .role([.agencyAdmin]),
    "POST /quan-tri/can-bo/{id}/mo-khoa": .role([.agencyAdmin]),
    "GET /quan-tri/thu-dien": .role([.systemAdmin]),
    "GET /quan-tri/lich-lam-viec": .role([.systemAdmin]),
    "POST /quan-tri/lich-lam-viec": .role([.systemAdmin]),
    "POST /quan-tri/lich-lam-viec/xoa": .role([.systemAdmin]),
    "GET /quan-tri/mau-thong-bao": .role([.systemAdmin]),
    "GET /quan-tri/mau-thong-bao/{kind}": .role([.systemAdmin]),
    "POST /quan-tri/mau-thong-bao/{kind}": .role([.systemAdmin]),
    "POST /quan-tri/mau-thong-bao/{kind}/mac-dinh": .role([.systemAdmin]),
    "GET /ho-so/{id}/xem-lai": .signedIn,
    "GET /ho-so/{id}/da-nop": .signedIn,
    "GET /ho-so/{id}/sua": .signedIn,
    "POST /ho-so/{id}/sua": .signedIn,
    "PUT /api/v1/dossiers/{id}": .signedIn,
    "POST /ho-so/{id}/bo-sung": .signedIn,
    "POST /api/v1/dossiers/{id}/supplement": .signedIn,
    "GET /mot-cua": .role(backOffice),
    "GET /mot-cua/danh-gia": .role(backOffice),
    "POST /mot-cua/danh-gia/{id}/tra-loi": .role(backOffice),
    "GET /hoi-dap": .everyone,
    "POST /hoi-dap": .everyone,
    "GET /hoi-dap/da-gui": .everyone,
    "GET /mot-cua/hoi-dap": .role(questionStaff),
    "GET /mot-cua/hoi-dap/{id}": .role(questionStaff),
    "POST /mot-cua/hoi-dap/{id}/tra-loi": .role(questionStaff),
    "POST /mot-cua/hoi-dap/{id}/cong-khai": .role(questionStaff),
    "GET /mot-cua/ho-so/{id}": .role(backOffice),
    "POST /mot-cua/ho-so/{id}/xu-ly": .role(backOffice),
    "POST /mot-cua/ho-so/{id}/ket-qua": .role(backOffice),
    "GET /mot-cua/ho-so/{id}/tep/{attachment}": .role(backOffice),
    "GET /mot-cua/ho-so/{id}/phieu-tiep-nhan": .role(backOffice),
    "GET /mot-cua/ho-so/{id}/phieu-kiem-soat": .role(backOffice),
    "GET /mot-cua/ho-so/{id}/phieu/{slip}": .role(backOffice),
    "GET /mot-cua/so-theo-doi": .role(backOffice),
    "GET /mot-cua/bao-cao": .role([.receptionist, .leader, .agencyAdmin]),
    "GET /mot-cua/tiep-nhan-ho-so-giay": .role([.receptionist]),
    "POST /mot-cua/tiep-nhan-ho-so-giay": .role([.receptionist]),
    "POST /mot-cua/ho-so/{id}/quet/{position}": .role([.receptionist]),
    "GET /tai-khoan/dat-mat-khau": .signedIn,
    "POST /tai-khoan/dat-mat-khau": .signedIn,
    "GET /mot-cua/ho-so/{id}/phieu-xin-loi/{number}": .role(backOffice),
    "GET /mot-cua/ho-so/{id}/phieu-bo-sung/{number}": .role(backOffice),
    "GET /mot-cua/ho-so/{id}/phieu-tu-choi/{number}": .role(backOffice),
    "GET /api/v1/staff/dossiers": .role(backOffice),
    "GET /api/v1/staff/queues": .role(backOffice),
    "GET /api/v1/staff/dossiers/{id}": .role(backOffice),
    "POST /api/v1/staff/dossiers/{id}/actions": .role(backOffice),
    "PUT /api/v1/staff/dossiers/{id}/result-files": .role(backOffice),
    "GET /api/v1/staff/dossiers/{id}/attachments/{attachment}": .role(backOffice),
    "GET /quan-tri/don-vi": .role([.agencyAdmin, .systemAdmin]),
    "POST /quan-tri/don-vi": .role([.agencyAdmin, .systemAdmin]),
    "POST /quan-tri/don-vi/{id}": .role([.agencyAdmin, .systemAdmin]),
    "POST /quan-tri/don-vi/{id}/xoa": .role([.agencyAdmin, .systemAdmin]),
    "POST /quan-tri/can-bo/{id}/don-vi": .role([.agencyAdmin]),
    "GET /api/v1/staff/units": .role(backOffice.union([.agencyAdmin, .systemAdmin])),
]

/// Roles that work on dossiers in the back office.
let backOffice: Set<StaffRole> = [.receptionist, .processor, .leader]
/// The agency's staff who read and answer the questions sent to it.
let questionStaff: Set<StaffRole> = backOffice.union([.agencyAdmin])

@Suite("Route access")
struct RouteAccessTests {
    static func routes() async throws -> [String] {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            try buildRouter(dependencies).routes.map { "\($0.method.rawValue) \($0.path.description)" }
        }
    }

    @Test("Every route has an access rule, and every rule a route")
    func everyRouteHasARule() async throws {
        let routes = Set(try await Self.routes())
        #expect(routes.subtracting(routeRules.keys).isEmpty, "routes without a rule: \(routes.subtracting(routeRules.keys).sorted())")
        #expect(Set(routeRules.keys).subtracting(routes).isEmpty, "rules without a route: \(Set(routeRules.keys).subtracting(routes).sorted())")
    }

    /// A concrete URI for a route pattern: path parameters get values that exist in the demo data.
    static func uri(for pattern: String) -> String {
        pattern
            .replacingOccurrences(of: "{agency}", with: "000.00.08.H06")
            .replacingOccurrences(of: "{code}", with: "1.005384")
            .replacingOccurrences(of: "{number}", with: "1")
            .replacingOccurrences(of: "{id}", with: "1")
            .replacingOccurrences(of: "{position}", with: "1")
            .replacingOccurrences(of: "{attachment}", with: "1")
            .replacingOccurrences(of: "{receipt}", with: "1")
            .replacingOccurrences(of: "{kind}", with: "tiep-nhan")
    }

    @Test("Anonymous visitors, citizens and staff of the wrong role are refused everywhere a rule says so")
    func deniedAccess() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            // Anonymous.
            for (route, rule) in routeRules where rule != .everyone {
                let parts = route.split(separator: " ", maxSplits: 1)
                let uri = Self.uri(for: String(parts[1]))
                let response: TestResponse
                switch parts[0] {
                case "GET": response = try await browser.get(uri)
                case "POST": response = try await browser.post(uri, [:])
                default: response = try await browser.client.execute(uri: uri, method: HTTPRequest.Method(String(parts[0]))!)
                }
                if uri.hasPrefix("/api/") {
                    #expect(response.status == .unauthorized, "anonymous \(route)")
                } else {
                    #expect(response.status == .seeOther && response.headers[.location]?.hasPrefix("/dang-nhap") == true, "anonymous \(route)")
                }
            }
            // A signed-in citizen, a receptionist and an agency administrator: refused on every role route
            // whose roles they lack (pages by session, the API by token).
            try await Citizen.registerAndSignIn(browser, mail: mail)
            let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                          publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
            let citizen = try #require(try await UserStore(database: database).credentials(email: "an.nguyen@example.vn")?.user)
            var logins: [(role: StaffRole?, email: String?, token: String)] = [
                (nil, nil, try await APITokenStore(database: database).create(userID: citizen.id, name: "test")),
            ]
            for (email, role) in [("tn@example.vn", StaffRole.receptionist), ("qt@example.vn", .agencyAdmin)] {
                let (user, _) = try await accounts.createStaff(email: email, name: "Cán bộ", role: role, agencyCode: "000.00.07.H52",
                                                              password: "Tiep-nhan-2026-x")
                logins.append((role, email, try await APITokenStore(database: database).create(userID: user.id, name: "test")))
            }
            var checked = 0
            for login in logins {
                if let email = login.email {
                    try await browser.post("/dang-nhap", ["email": email, "password": "Tiep-nhan-2026-x"])
                }
                for (route, rule) in routeRules {
                    guard case .role(let roles) = rule, !(login.role.map(roles.contains) ?? false) else { continue }
                    let parts = route.split(separator: " ", maxSplits: 1)
                    let uri = Self.uri(for: String(parts[1]))
                    let response: TestResponse
                    if uri.hasPrefix("/api/") {
                        response = try await browser.client.execute(
                            uri: uri, method: HTTPRequest.Method(String(parts[0]))!,
                            headers: [.authorization: "Bearer \(login.token)", .contentType: "application/json"], body: ByteBuffer(string: "{}"))
                    } else {
                        response = parts[0] == "GET" ? try await browser.get(uri) : try await browser.post(uri, [:])
                    }
                    #expect(response.status == .forbidden, "\(login.email ?? "citizen") \(route)")
                    checked += 1
                }
            }
            #expect(checked > 30)
        }
    }
}

/// Routes that name a dossier (`{id}`) belong to its applicant or to its agency's staff. Everyone else
/// gets 404, as if the dossier did not exist, on every such route of the router.
@Suite("Dossier route ownership")
struct DossierRouteOwnershipTests {
    enum Owner { case applicant, agency }

    static func owner(of route: String) -> Owner? {
        let path = String(route.split(separator: " ", maxSplits: 1)[1])
        guard path.contains("{id}") else { return nil }
        if path.hasPrefix("/ho-so/") || path.hasPrefix("/api/v1/dossiers/") { return .applicant }
        if path.hasPrefix("/mot-cua/") || path.hasPrefix("/api/v1/staff/dossiers/") { return .agency }
        return nil
    }

    @Test("Every route naming a dossier is the applicant's or the agency's")
    func everyDossierRouteHasAnOwner() {
        let unowned = routeRules.keys.filter { $0.contains("{id}") && Self.owner(of: $0) == nil && !$0.contains("/tai-khoan/")
            && !$0.contains("/quan-tri/") }
        #expect(unowned.isEmpty, "dossier routes without an owner rule: \(unowned.sorted())")
    }

    @Test("Another citizen, and staff of another agency, get 404 on every route of someone's dossier")
    func strangersSeeNothing() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, database in
            let owner = try await APICitizen.make(database, email: "chu@example.vn", citizenID: "001099000901")
            let dossier = try await APIFiling.submitted(browser, owner, database: database)
            let fileID = try #require(dossier.files.first?.id)
            // The other citizen signs in to the pages too (the page routes), and has a token (the API).
            try await Citizen.registerAndSignIn(browser, mail: MailReader(database: database), email: "la@example.vn", citizenID: "079199005555")
            let stranger = try #require(try await UserStore(database: database).credentials(email: "la@example.vn")?.user)
            let strangerToken = try await APITokenStore(database: database).create(userID: stranger.id, name: "test")
            let otherDesk = try await APIStaff.make(database, email: "khac@example.vn", role: .receptionist, agency: "000.00.07.H52")
            let accounts = AccountService(database: database, hasher: PasswordHasher(cost: 4), policy: .bundled(),
                                          publicURL: "http://127.0.0.1:8080", logger: TestEnvironment.logger)
            _ = try await accounts.createStaff(email: "khac.trang@example.vn", name: "Tiếp nhận khác", role: .receptionist,
                                              agencyCode: "000.00.07.H52", password: "Tiep-nhan-2026-x")
            var checked = 0
            for (route, _) in routeRules.sorted(by: { $0.key < $1.key }) {
                guard let owner = Self.owner(of: route) else { continue }
                let parts = route.split(separator: " ", maxSplits: 1)
                let uri = String(parts[1]).replacingOccurrences(of: "{id}", with: String(dossier.id))
                    .replacingOccurrences(of: "{attachment}", with: String(fileID)).replacingOccurrences(of: "{position}", with: "1")
                let method = HTTPRequest.Method(String(parts[0]))!
                let response: TestResponse
                if uri.hasPrefix("/api/") {
                    let token = owner == .applicant ? strangerToken : otherDesk.token
                    response = try await browser.client.execute(
                        uri: uri, method: method, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                        body: ByteBuffer(string: #"{"note":"x","action":"accept"}"#))
                } else {
                    if owner == .agency {
                        try await browser.post("/dang-xuat", [:])
                        try await browser.post("/dang-nhap", ["email": "khac.trang@example.vn", "password": "Tiep-nhan-2026-x"])
                    } else {
                        try await browser.post("/dang-xuat", [:])
                        try await browser.post("/dang-nhap", ["email": "la@example.vn", "password": Citizen.password])
                    }
                    response = method == .get ? try await browser.get(uri) : try await browser.post(uri, ["note": "x", "action": "accept"])
                }
                #expect(response.status == .notFound, "\(route) as a stranger: \(response.status)")
                checked += 1
            }
            #expect(checked >= 20)
            // Nothing changed on the way.
            #expect(try await DossierStore(database: database).dossier(id: dossier.id)?.status == .registered)
        }
    }
}

/// SQL metacharacters in every path parameter of every route, and in every query parameter the portal
/// reads, as anonymous visitors, a citizen (pages and API) and a receptionist: never a server error, and
/// the data stays as it was. Values reach SQL only as bound parameters; this checks that nothing slipped.
@Suite("SQL metacharacters everywhere")
struct SQLMetacharacterTests {
    static let payloads = ["' OR '1'='1", "1; DROP TABLE users; --", "1' UNION SELECT password_hash FROM users --", "\\\"%_"]
    static let queryNames = ["q", "agency", "field", "level", "page", "perPage", "code", "ma", "nam", "next", "status", "tab",
                             "thong-bao", "trang", "trang-thai", "loai"]

    @Test("No route answers 500 to SQL metacharacters, and no table changes")
    func everyParameter() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, mail, database in
            let citizen = try await APICitizen.make(database, email: "sql@example.vn", citizenID: "001099000999")
            let desk = try await APIStaff.make(database, email: "tn.sql@example.vn", role: .receptionist)
            _ = try await APIFiling.submitted(browser, citizen, database: database)
            let counts: @Sendable () async throws -> [Int] = {
                try await database.read { db in
                    var counts: [Int] = []
                    for table in ["users", "dossiers", "dossier_attachments", "procedures", "sessions", "api_tokens"] {
                        counts.append(try await db.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self) ?? -1)
                    }
                    return counts
                }
            }
            try await Citizen.registerAndSignIn(browser, mail: mail)
            let before = try await counts()
            var requests = 0
            for route in routeRules.keys.sorted() {
                let parts = route.split(separator: " ", maxSplits: 1)
                let method = HTTPRequest.Method(String(parts[0]))!
                for payload in Self.payloads {
                    let encoded = payload.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                    let path = String(parts[1]).replacing(/\{[a-z]+\}/, with: { _ in encoded })
                    let query = Self.queryNames.map { "\($0)=\(encoded)" }.joined(separator: "&")
                    let uri = path + "?" + query
                    for token in [nil, citizen.token, desk.token] as [String?] {
                        var headers: HTTPFields = [.contentType: "application/json"]
                        if let token { headers[.authorization] = "Bearer \(token)" }
                        let response = method == .post && !uri.hasPrefix("/api/")
                            ? try await browser.post(uri, ["q": payload, "note": payload, "email": payload, "reason": payload])
                            : try await browser.client.execute(uri: uri, method: method, headers: headers,
                                                               body: ByteBuffer(string: #"{"note":"' OR 1=1 --","action":"accept"}"#))
                        #expect(response.status.code < 500, "\(route) with \(payload): \(response.status)")
                        requests += 1
                        if !uri.hasPrefix("/api/") { break }  // pages: one pass with the signed-in citizen's session
                    }
                }
            }
            #expect(requests > 300)
            // Sessions may have come and gone with sign-outs; the rest must be exactly as before.
            let after = try await counts()
            #expect(Array(after.prefix(4)) == Array(before.prefix(4)) && after[5] == before[5], "\(before) → \(after)")
        }
    }
}
