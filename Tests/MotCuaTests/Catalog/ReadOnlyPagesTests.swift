import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import MotCua

@Suite("Pages that only read do not write")
struct ReadOnlyPagesTests {
    @Test("An anonymous visitor reading the catalog, a procedure, the lookup or the home page gets no cookie; a page with a form that posts does")
    func noCookieWithoutForm() async throws {
        try await TestEnvironment.withAppAndDatabase { browser, _, _ in
            for path in ["/", "/thu-tuc", "/thu-tuc?q=nang+bac+luong", "/thu-tuc/000.00.08.H06/1.005384", "/tra-cuu",
                         "/thu-tuc/000.00.08.H06/1.005384?tab=hoi-dap", "/hoi-dap", "/hoi-dap/da-gui",
                         "/tra-cuu?ma=000.00.08.H06-260101-0001", "/khong-co-trang-nay"] {
                let response = try await browser.client.execute(uri: path, method: .get)
                #expect(response.status == .ok || response.status == .notFound, "\(path)")
                #expect(response.headers[values: .setCookie].isEmpty, "\(path) set \(response.headers[values: .setCookie])")
            }
            for path in ["/dang-nhap", "/dang-ky", "/hoi-dap?co-quan=000.00.08.H06"] {
                let response = try await browser.client.execute(uri: path, method: .get)
                #expect(response.headers[values: .setCookie].contains { $0.hasPrefix(CSRFMiddleware.cookieName + "=") }, "\(path)")
            }
        }
    }
}
