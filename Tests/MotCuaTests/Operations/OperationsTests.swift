import Foundation
import HTTPTypes
import NIOCore
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MotCua

@Suite("Operations")
struct OperationsTests {
    @Test("Health and readiness for everyone; metrics only with the configured token, counters named …_total, outbox figures")
    func healthReadyMetrics() async throws {
        try await TestEnvironment.withApp { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok && health.text.contains("ok"))
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
            // No token configured: the metrics are not on the public port at all.
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .notFound)
        }
        let token = "metrics-token-for-tests-0123"
        try await TestEnvironment.withAppAndDatabase(configure: { $0.metricsToken = token }) { browser, _, _ in
            _ = try await browser.get("/thu-tuc")
            #expect(try await browser.client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            #expect(try await browser.client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer wrong-token-000000000"]).status
                    == .unauthorized)
            // The outbox figures appear after a delivery round (every 100 ms in tests).
            try await Task.sleep(for: .milliseconds(400))
            let metrics = try await browser.client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains("motcua_http_requests_total{") && metrics.text.contains(#"route="/thu-tuc""#))
            #expect(metrics.text.contains("motcua_http_request_duration_seconds_bucket"))
            #expect(metrics.text.contains("motcua_outbox_pending"))
            let counters = metrics.text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") && $0.hasSuffix(" counter") }
                .map { $0.split(separator: " ")[2] }
            #expect(!counters.isEmpty && counters.allSatisfy { $0.hasSuffix("_total") }, "\(counters)")
        }
    }

    @Test("Static files are served with the stylesheet")
    func staticFiles() async throws {
        try await TestEnvironment.withApp { client in
            let css = try await client.execute(uri: "/static/css/site.css", method: .get)
            #expect(css.status == .ok)
            #expect(css.headers[.contentType]?.hasPrefix("text/css") == true)
        }
    }

    @Test("The OpenAPI document describes every API and operations route, and nothing else")
    func openAPICoversRoutes() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let router = try buildRouter(dependencies)
            let served = Set(router.routes.compactMap { route -> String? in
                let path = route.path.description
                guard path.hasPrefix("/api/") || ["/healthz", "/readyz", "/metrics"].contains(path) else { return nil }
                return "\(route.method.rawValue.lowercased()) \(path)"
            })
            let documented = Set(try OpenAPIPaths.operations(in: OperationsController<AppRequestContext>.bundledOpenAPIDocument()))
            #expect(!served.isEmpty)
            #expect(served == documented, "served but undocumented: \(served.subtracting(documented)); documented but not served: \(documented.subtracting(served))")
        }
    }
}

/// Reads the `paths:` section of our OpenAPI YAML: "  /path:" lines and the "    get:" lines under them.
enum OpenAPIPaths {
    static func operations(in document: ByteBuffer) -> [String] {
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        var inPaths = false
        var currentPath: String?
        var result: [String] = []
        for line in String(buffer: document).split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            guard inPaths else { continue }
            if let first = line.first, !first.isWhitespace { break }  // next top-level key
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                currentPath = String(line.dropFirst(2).dropLast()).trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"), let path = currentPath {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast()
                if methods.contains(String(method)) { result.append("\(method) \(path)") }
            }
        }
        return result
    }
}

@Suite("HTTP methods")
struct MethodTests {
    @Test("HEAD answers like GET without a body; other methods on known paths get 405 with Allow")
    func methods() async throws {
        try await TestEnvironment.withApp { client in
            let head = try await client.execute(uri: "/healthz", method: .head)
            #expect(head.status == .ok && head.body.readableBytes == 0)
            let get = try await client.execute(uri: "/api/v1/agencies", method: .get)
            let headAgencies = try await client.execute(uri: "/api/v1/agencies", method: .head)
            #expect(headAgencies.headers[.contentLength] == String(get.body.readableBytes))
            for uri in ["/api/v1/agencies", "/thu-tuc", "/healthz"] {
                let post = try await client.execute(uri: uri, method: .post)
                #expect(post.status == .methodNotAllowed, "\(uri)")
                #expect(post.headers[.allow] == "GET, HEAD")
            }
            let unknown = try await client.execute(uri: "/api/v1/khong-co", method: .delete)
            #expect(unknown.status == .notFound)
            // A literal path wins over a parameter beside it: PUT on the lookup is not a PUT on dossier "lookup".
            let lookup = try await client.execute(uri: "/api/v1/dossiers/lookup?code=000.00.07.H52-261124-0001", method: .put)
            #expect(lookup.status == .methodNotAllowed && lookup.headers[.allow] == "GET, HEAD")
        }
    }
}
