import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

@testable import MotCua

/// Drives the router like a browser: keeps cookies, and adds the CSRF field to every form it posts.
final class BrowserClient: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    @discardableResult
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(uri, method: .get, headers: headers, body: nil)
    }

    /// Posts a form; `_csrf` is taken from the cookie unless `csrf` overrides it (nil: leave it out).
    @discardableResult
    func post(_ uri: String, _ fields: [String: String], csrf: String?? = .none, headers: HTTPFields = [:]) async throws -> TestResponse {
        if cookies[CSRFMiddleware.cookieName] == nil { try await get("/dang-nhap") }
        var fields = fields
        switch csrf {
        case .none: fields[CSRFMiddleware.fieldName] = cookies[CSRFMiddleware.cookieName]
        case .some(let value): fields[CSRFMiddleware.fieldName] = value
        }
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await send(uri, method: .post, headers: headers, body: ByteBuffer(string: Self.encode(fields)))
    }

    /// Posts a file as `multipart/form-data`, with the CSRF token in the URL as the upload forms do.
    @discardableResult
    func upload(_ uri: String, fileName: String, bytes: [UInt8], csrf: String? = nil) async throws -> TestResponse {
        if cookies[CSRFMiddleware.cookieName] == nil { try await get("/dang-nhap") }
        let token = csrf ?? cookies[CSRFMiddleware.cookieName] ?? ""
        let boundary = "----motcua-test-\(UUID().uuidString)"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(fileName)\"\r\n")
        body.writeString("Content-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        let separator = uri.contains("?") ? "&" : "?"
        return try await send(uri + "\(separator)_csrf=\(token)", method: .post,
                              headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
    }

    /// The cookies as a `Cookie` header, for requests built by hand.
    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }

    func setCookie(_ name: String, _ value: String?) {
        cookies[name] = value
    }

    private func send(_ uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if !cookies.isEmpty {
            headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[1])
            cookies[name] = (value.isEmpty || header.contains("Max-Age=0")) ? nil : value
        }
        return response
    }

    static func encode(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
    }
}

/// Reads what the portal wrote: the outbox, to follow links that were mailed.
struct MailReader: Sendable {
    let database: any Database

    func messages(to recipient: String) async throws -> [OutboxMessage] {
        try await Outbox.recent(limit: 500, in: database).filter { $0.recipient == recipient }.reversed()
    }

    /// The first link in the newest message to `recipient` that points at `path`, as a relative URI.
    func link(to recipient: String, path: String) async throws -> String? {
        for message in try await messages(to: recipient).reversed() {
            if let range = message.bodyText.range(of: "http://127.0.0.1:8080\(path)") {
                let rest = message.bodyText[range.upperBound...].prefix { !$0.isWhitespace }
                return path + rest
            }
        }
        return nil
    }
}

extension TestEnvironment {
    /// The application and a second handle on the same database (as another process would have).
    static func withAppAndDatabase<T: Sendable>(
        demoData: Bool = true,
        configure: @Sendable (inout AppConfiguration) -> Void = { _ in },
        _ test: @escaping @Sendable (BrowserClient, MailReader, any Database) async throws -> T
    ) async throws -> T {
        try await withConfiguration(demoData: demoData) { base in
            var configuration = base
            configure(&configuration)
            let app = try await buildApplication(configuration: configuration, metrics: metrics, logger: logger)
            let final = configuration
            return try await app.test(.router) { client in
                let opened = try await OpenedDatabase.open(final, logger: logger)
                return try await opened.whileRunning { database in
                    try await test(BrowserClient(client), MailReader(database: database), database)
                }
            }
        }
    }
}

enum Citizen {
    static let password = "Hoa-sen-nở-2026"

    static func form(email: String = "an.nguyen@example.vn", citizenID: String = "001203004567") -> [String: String] {
        [
            "kind": "individual", "full_name": "Nguyễn Văn An", "citizen_id": citizenID, "date_of_birth": "1990-05-17",
            "phone": "0912 345 678", "email": email, "address": "Số 5 Chiềng Cơi, Sơn La",
            "password": password, "password_confirmation": password,
        ]
    }

    /// Registers, follows the mailed link, confirms, and signs in.
    static func registerAndSignIn(
        _ browser: BrowserClient, mail: MailReader, email: String = "an.nguyen@example.vn", citizenID: String = "001203004567"
    ) async throws {
        let response = try await browser.post("/dang-ky", form(email: email, citizenID: citizenID))
        guard response.status == .ok else { throw TestFailure("registration answered \(response.status)") }
        guard let link = try await mail.link(to: email, path: "/xac-thuc-email") else { throw TestFailure("no verification mail") }
        let token = String(link.split(separator: "=").last ?? "")
        try await browser.post("/xac-thuc-email", ["ma": token])
        let login = try await browser.post("/dang-nhap", ["email": email, "password": password])
        guard login.status == .seeOther else { throw TestFailure("login answered \(login.status)") }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
