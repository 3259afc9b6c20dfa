import Foundation
import HTTPTypes
import NIOCore
import HummingbirdTesting
import Testing

@testable import MotCua

private struct ListResponse: Decodable {
    struct Item: Decodable { var code: String; var name: String; var agencyCode: String; var fieldCode: String; var onlineLevel: String }
    var items: [Item]
    var total: Int
    var page: Int
    var perPage: Int
}

private struct Problem: Decodable {
    var title: String
    var status: Int
    var detail: String?
}

@Suite("Catalog search")
struct CatalogSearchTests {
    @Test("Search ignores diacritics and case, and đ matches d")
    func diacriticInsensitive() async throws {
        try await TestEnvironment.withApp { client in
            var results: [[String]] = []
            for query in ["nang%20bac%20luong", "N%C3%82NG%20B%E1%BA%ACC%20L%C6%AF%C6%A0NG", "N%C3%A2ng%20b%E1%BA%ADc%20l%C6%B0%C6%A1ng"] {
                let response = try await client.execute(uri: "/api/v1/procedures?perPage=100&q=\(query)", method: .get)
                #expect(response.status == .ok)
                results.append(try response.json(ListResponse.self).items.map(\.code))
            }
            #expect(results[0].count >= 3)
            #expect(results[0] == results[1] && results[1] == results[2])

            let withD = try await client.execute(uri: "/api/v1/procedures?perPage=100&q=dai%20hoi", method: .get).json(ListResponse.self)
            let withĐ = try await client.execute(uri: "/api/v1/procedures?perPage=100&q=%C4%90%E1%BA%A1i%20h%E1%BB%99i", method: .get).json(ListResponse.self)
            #expect(withD.total > 0)
            #expect(withD.items.map(\.code) == withĐ.items.map(\.code))
        }
    }

    @Test("Name matches rank above matches elsewhere")
    func nameMatchesFirst() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let url = try CatalogFixture.write(CatalogFixture.file(procedures: [
                // Alphabetically first, but the word is only in its description.
                CatalogFixture.procedure(code: "9.000001", name: "A thủ tục khác", description: "Liên quan đến chứng chỉ lưu trữ."),
                CatalogFixture.procedure(code: "9.000002", name: "Z cấp chứng chỉ lưu trữ", description: "Mô tả."),
                CatalogFixture.procedure(code: "9.000003", name: "B không liên quan", description: "Không."),
            ]))
            _ = try await dependencies.importer.importFile(at: url)
            let result = try await dependencies.catalogReader.search(.init(text: "chung chi luu tru"))
            #expect(result.items.map(\.code) == ["9.000002", "9.000001"])
            #expect(result.total == 2)
        }
    }

    @Test("Filters by agency, field and online level, with counts")
    func filters() async throws {
        try await TestEnvironment.withApp { client in
            let all = try await client.execute(uri: "/api/v1/procedures?perPage=100", method: .get).json(ListResponse.self)
            #expect(all.total == 32)
            let bacKan = try await client.execute(uri: "/api/v1/procedures?agency=000.00.08.H06&perPage=100", method: .get).json(ListResponse.self)
            #expect(bacKan.total == 10 && bacKan.items.allSatisfy { $0.agencyCode == "000.00.08.H06" })
            let full = try await client.execute(uri: "/api/v1/procedures?level=full&perPage=100", method: .get).json(ListResponse.self)
            #expect(full.total > 0 && full.total < 32 && full.items.allSatisfy { $0.onlineLevel == "full" })
            let field = try #require(all.items.first?.fieldCode)
            let byField = try await client.execute(uri: "/api/v1/procedures?field=\(field)&perPage=100", method: .get).json(ListResponse.self)
            #expect(byField.total == all.items.filter { $0.fieldCode == field }.count)
            let paged = try await client.execute(uri: "/api/v1/procedures?perPage=5&page=2", method: .get).json(ListResponse.self)
            #expect(paged.items.map(\.code) == Array(all.items[5..<10]).map(\.code))
        }
    }

    @Test("Odd search text gives normal results or a clear 400, never a 500 or a change of meaning", arguments: [
        ("%25", 0), ("_", 0), ("%25%25%25", 0), ("'%20OR%201%3D1%20--", 0), ("%F0%9F%98%80", 0), ("%22", 0),
        ("c%C3%B4ng%20ch%E1%BB%A9c%25", -1), ("%5C", 0),
    ])
    func oddText(query: String, expectedTotal: Int) async throws {
        try await TestEnvironment.withApp { client in
            let response = try await client.execute(uri: "/api/v1/procedures?q=\(query)", method: .get)
            #expect(response.status == .ok)
            let list = try response.json(ListResponse.self)
            if expectedTotal >= 0 { #expect(list.total == expectedTotal) } else { #expect(list.total > 0) }
            let page = try await client.execute(uri: "/thu-tuc?q=\(query)", method: .get)
            #expect(page.status == .ok)
        }
    }

    @Test("Overlong text and out-of-range paging are refused with a problem document")
    func badParameters() async throws {
        try await TestEnvironment.withApp { client in
            let long = String(repeating: "a", count: 10_000)
            let stretched = "a" + String(repeating: "%CC%81", count: 300)
            for uri in ["/api/v1/procedures?q=\(long)", "/api/v1/procedures?page=0", "/api/v1/procedures?page=-3",
                        "/api/v1/procedures?page=abc", "/api/v1/procedures?perPage=1000", "/api/v1/procedures?level=4",
                        "/api/v1/procedures?agency=%27%3B%20DROP", "/api/v1/procedures?q=\(stretched)"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .badRequest, "\(uri.prefix(60))")
                #expect(response.headers[.contentType] == "application/problem+json")
                let problem = try response.json(Problem.self)
                #expect(problem.status == 400 && problem.detail?.isEmpty == false)
            }
            let page = try await client.execute(uri: "/thu-tuc?q=\(long)", method: .get)
            #expect(page.status == .badRequest)
            #expect(page.text.contains("Từ khóa tìm kiếm quá dài"))
            let beyond = try await client.execute(uri: "/api/v1/procedures?page=99999", method: .get)
            #expect(beyond.status == .ok)
            let list = try beyond.json(ListResponse.self)
            #expect(list.items.isEmpty && list.total == 32)
        }
    }
}

@Suite("Query parameters")
struct QueryValuesTests {
    @Test("Form encoding: + is a space, %2B a plus, first value wins, bad escapes are dropped")
    func decoding() {
        let values = QueryValues(query: "q=nang+bac+luong&x=1%2B1&q=second&e=&bad=%E0%A4%A&v=c%C3%B4ng")
        #expect(values["q"] == "nang bac luong")
        #expect(values["x"] == "1+1")
        #expect(values["e"] == "")
        #expect(values["bad"] == "")
        #expect(values["v"] == "công")
        #expect(values["missing"] == nil)
    }

    @Test("The search box shows the words as typed")
    func searchBoxKeepsText() async throws {
        try await TestEnvironment.withApp { client in
            let html = try await client.execute(uri: "/thu-tuc?q=nang+bac+luong", method: .get).text
            #expect(html.contains("value=\"nang bac luong\""))
            #expect(!html.contains("nang+bac"))
        }
    }
}
