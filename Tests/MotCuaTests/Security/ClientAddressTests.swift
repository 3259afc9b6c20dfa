import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import MotCua

@Suite("The client's address behind a reverse proxy")
struct ClientAddressTests {
    @Test("X-Forwarded-For counts only from a trusted proxy, rightmost untrusted hop first")
    func resolution() throws {
        let proxies = try #require(TrustedProxies("127.0.0.1, 10.0.0.0/8, ::1"))
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.5"]) == "203.0.113.5")
        // A client forging the header in front of the proxy: the proxy appends the real address last.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["198.51.100.9, 203.0.113.5"]) == "203.0.113.5")
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.5, 10.1.2.3"]) == "203.0.113.5")
        #expect(proxies.clientAddress(peer: "::1", forwardedFor: ["2001:db8::7"]) == "2001:db8::7")
        // From anyone else the header is a forgery and changes nothing.
        #expect(proxies.clientAddress(peer: "192.0.2.44", forwardedFor: ["203.0.113.5"]) == "192.0.2.44")
        #expect(TrustedProxies.none.clientAddress(peer: "127.0.0.1", forwardedFor: ["203.0.113.5"]) == "127.0.0.1")
        // A malformed hop: believe nothing past it.
        #expect(proxies.clientAddress(peer: "127.0.0.1", forwardedFor: ["<script>"]) == "127.0.0.1")
        #expect(TrustedProxies("10.0.0.0/33") == nil && TrustedProxies("nginx") == nil)
    }

    /// 30 wrong logins for different accounts, each "from" `address` in X-Forwarded-For, over a real socket from 127.0.0.1.
    private static func failLogins(_ browser: BrowserClient, from address: String, count: Int) async throws {
        for attempt in 0..<count {
            _ = try await browser.post("/dang-nhap", ["email": "khach\(attempt)@example.vn", "password": "sai-mat-khau-\(attempt)"],
                                       headers: [.xForwardedFor: address])
        }
    }

    @Test("Behind a trusted proxy, 30 failed logins lock that client only; without trust, a forged header changes nothing",
          .timeLimit(.minutes(10)))  // 62 sequential logins; a full parallel suite on a loaded 2-core machine took over 2 minutes
    func perClientLock() async throws {
        for trusted in [true, false] {
            try await TestEnvironment.withConfiguration(demoData: false) { base in
                var configuration = base
                if trusted { configuration.trustedProxies = try #require(TrustedProxies("127.0.0.1, ::1")) }
                let app = try await buildApplication(configuration: configuration, metrics: TestEnvironment.metrics, logger: TestEnvironment.logger)
                try await app.test(.live) { client in
                    let browser = BrowserClient(client)
                    try await Self.failLogins(browser, from: "203.0.113.5", count: Throttle.loginPerIP.limit)
                    let same = try await browser.post("/dang-nhap", ["email": "khach.moi@example.vn", "password": "sai"],
                                                      headers: [.xForwardedFor: "203.0.113.5"])
                    let other = try await browser.post("/dang-nhap", ["email": "khach.khac@example.vn", "password": "sai"],
                                                       headers: [.xForwardedFor: "203.0.113.6"])
                    #expect(same.status == .tooManyRequests, "trusted: \(trusted)")
                    // Trusted: another client is not locked out. Untrusted: everyone shares the socket's address.
                    #expect(other.status == (trusted ? .unauthorized : .tooManyRequests), "trusted: \(trusted)")
                }
            }
        }
    }
}
