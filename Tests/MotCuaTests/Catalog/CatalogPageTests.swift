import Foundation
import HTTPTypes
import NIOCore
import HummingbirdTesting
import Testing

@testable import MotCua

@Suite("Catalog pages")
struct CatalogPageTests {
    @Test("Home page lists agencies and fields in Vietnamese, with security headers")
    func home() async throws {
        try await TestEnvironment.withApp { client in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = response.text
            #expect(html.contains("<html lang=\"vi\">"))
            #expect(html.contains("Sở Nội vụ tỉnh Sơn La") && html.contains("Sở Nội vụ tỉnh Bắc Kạn"))
            #expect(html.contains("Dịch vụ công trực tuyến"))
            let csp = try #require(response.headers[.contentSecurityPolicy])
            #expect(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"))
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[.referrerPolicy] != nil)
            #expect(response.headers[.requestID]?.isEmpty == false)
        }
    }

    @Test("Catalog list searches, shows the count and paginates")
    func list() async throws {
        try await TestEnvironment.withApp { client in
            let html = try await client.execute(uri: "/thu-tuc?q=thi+tuyen", method: .get).text
            #expect(html.contains("Tìm thấy <strong>"))
            #expect(html.contains("Thủ tục thi tuyển công chức"))
            let all = try await client.execute(uri: "/thu-tuc", method: .get).text
            #expect(all.contains("Tìm thấy <strong>32</strong>"))
            #expect(all.contains("aria-label=\"Phân trang\""))
            #expect(all.contains("href=\"/thu-tuc?page=2\""))
            // Pages past the end (a hand-edited or stale link) answer normally, with links back.
            for uri in ["/thu-tuc?page=50", "/thu-tuc?q=thi+tuyen&page=7", "/thu-tuc?q=xyzxyz&page=3", "/thu-tuc?page=100000"] {
                let beyond = try await client.execute(uri: uri, method: .get)
                #expect(beyond.status == .ok, "\(uri)")
            }
            let beyond = try await client.execute(uri: "/thu-tuc?page=50", method: .get).text
            #expect(beyond.contains("Trang này không có kết quả"))
            #expect(beyond.contains("href=\"/thu-tuc?page=2\""))
            let none = try await client.execute(uri: "/thu-tuc?q=xyzxyz", method: .get).text
            #expect(none.contains("Không tìm thấy thủ tục nào phù hợp"))
        }
    }

    @Test("Procedure page has the five tabs, each with its content", arguments: [
        ("", "Thời hạn giải quyết"), ("?tab=quy-trinh", "class=\"process-steps\""), ("?tab=ho-so", "Bản chính"),
        ("?tab=can-cu", "Nghị định số 138/2020/NĐ-CP"), ("?tab=bieu-mau", "(DOCX, "),
    ])
    func procedureTabs(tab: String, expected: String) async throws {
        try await TestEnvironment.withApp { client in
            let response = try await client.execute(uri: "/thu-tuc/000.00.08.H06/1.005384\(tab)", method: .get)
            #expect(response.status == .ok)
            let html = response.text
            for label in ["Thông tin chung", "Quy trình", "Hồ sơ cần thiết", "Căn cứ pháp lý", "Biểu mẫu"] {
                #expect(html.contains(label))
            }
            #expect(html.contains("aria-current=\"page\""))
            #expect(html.contains(expected))
        }
    }

    @Test("Unknown procedures, tabs and pages answer 404 in Vietnamese")
    func notFound() async throws {
        try await TestEnvironment.withApp { client in
            for uri in ["/thu-tuc/000.00.07.H52/9.999999", "/thu-tuc/000.00.08.H06/1.005384?tab=xyz", "/khong-co-trang-nay",
                        "/thu-tuc/..%2F..%2Fetc/passwd", "/thu-tuc/000.00.08.H06/1.005384/bieu-mau/99"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.text.contains("Không tìm thấy"))
            }
        }
    }

    @Test("Form templates download as attachments with their stored bytes")
    func templateDownload() async throws {
        try await TestEnvironment.withApp { client in
            let page = try await client.execute(uri: "/thu-tuc/000.00.08.H06/1.005384?tab=bieu-mau", method: .get).text
            let link = try #require(page.firstMatch(of: /href="(\/thu-tuc\/000\.00\.08\.H06\/1\.005384\/bieu-mau\/\d+)"/)?.1)
            let response = try await client.execute(uri: String(link), method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
            #expect(response.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"") == true)
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(Array(response.body.readableBytesView.prefix(2)) == Array("PK".utf8))
        }
    }

    @Test("Text from the catalog is escaped in pages, and cached pages follow an import by another process")
    func escapesCatalogText() async throws {
        try await TestEnvironment.withConfiguration(demoData: false) { configuration in
            let app = try await buildApplication(configuration: configuration, metrics: TestEnvironment.metrics, logger: TestEnvironment.logger)
            let url = try CatalogFixture.write(CatalogFixture.file(procedures: [
                CatalogFixture.procedure(name: "<script>alert(1)</script> Thủ tục", description: "\"><img src=x onerror=alert(2)>"),
            ]))
            try await app.test(.router) { client in
                // Cached while the catalog is empty…
                let before = try await client.execute(uri: "/thu-tuc", method: .get).text
                #expect(before.contains("Không tìm thấy thủ tục nào phù hợp"))
                let apiBefore = try await client.execute(uri: "/api/v1/procedures", method: .get).text
                #expect(apiBefore.contains("\"total\":0"))
                // Import through a second set of dependencies on the same storage, as the CLI would.
                let opened = try await OpenedDatabase.open(configuration, logger: TestEnvironment.logger)
                try await opened.whileRunning { database in
                    let dependencies = try await AppDependencies(
                        configuration: configuration, database: database, metrics: TestEnvironment.metrics, logger: TestEnvironment.logger)
                    _ = try await dependencies.importer.importFile(at: url)
                }
                try await Task.sleep(for: .milliseconds(2100))  // the portal re-checks the catalog version every 2 s
                let list = try await client.execute(uri: "/thu-tuc", method: .get).text
                #expect(list.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                let apiAfter = try await client.execute(uri: "/api/v1/procedures", method: .get).text
                #expect(apiAfter.contains("\"total\":1"))
                #expect(!list.contains("<script>alert(1)"))
                let page = try await client.execute(uri: "/thu-tuc/\(CatalogFixture.agencyCode)/9.000001", method: .get).text
                #expect(!page.contains("<img src=x"))
                #expect(!page.contains("<script>alert"))
            }
        }
    }
}

@Suite("Page formatting")
struct PageFormattingTests {
    @Test("Steps are numbered once, dates and amounts read the Vietnamese way")
    func formatting() {
        #expect(VietnameseFormat.date("2020-11-27") == "27/11/2020")
        #expect(VietnameseFormat.date("") == nil)
        #expect(VietnameseFormat.money(100_000) == "100.000 đ")
        #expect(VietnameseFormat.money(1_500_000) == "1.500.000 đ")
        #expect(VietnameseFormat.money(0) == "0 đ")
    }

    @Test("The stylesheet link carries a digest of the file")
    func assetVersion() async throws {
        try await TestEnvironment.withApp { client in
            let html = try await client.execute(uri: "/", method: .get).text
            #expect(html.contains("/static/css/site.css?v="))
            let steps = try await client.execute(uri: "/thu-tuc/000.00.08.H06/1.005384?tab=quy-trinh", method: .get).text
            #expect(!steps.contains("<li>Bước 1"))
        }
    }
}

@Suite("Pagination")
struct PaginationTests {
    @Test("The page window stays within the pages that exist", arguments: [
        (1, 0, [1]), (1, 32, [1, 2]), (2, 32, [1, 2]), (50, 32, [1, 2]), (1, 200, [1, 2, 3, 4, 5]),
        (7, 200, [5, 6, 7, 8, 9]), (10, 200, [6, 7, 8, 9, 10]), (99, 200, [6, 7, 8, 9, 10]),
    ])
    func window(page: Int, total: Int, expected: [Int]) {
        let pagination = Pagination(query: .init(page: page, perPage: 20), total: total)
        #expect(pagination.pages.map(\.number) == expected)
        #expect(pagination.nextURL == nil || page < (total + 19) / 20)
    }
}
