import Foundation
import HTTPTypes
import NIOCore
import HummingbirdTesting
import Testing

@testable import MotCua

@Suite("Catalog API")
struct CatalogAPITests {
    struct ProcedureBody: Decodable {
        struct Agency: Decodable { var code: String; var name: String }
        struct Document: Decodable { var name: String; var originals: Int; var copies: Int; var mandatory: Bool; var formats: [String] }
        struct Template: Decodable { var name: String; var downloadUrl: String; var size: Int }
        struct FeeBody: Decodable { var description: String; var amount: Int }
        var code: String
        var agency: Agency
        var processingDays: Int
        var onlineLevel: String
        var applicantTypes: [String]
        var fees: [FeeBody]
        var steps: [String]
        var requiredDocuments: [Document]
        var formTemplates: [Template]
        var resultDelivery: [String]
    }

    struct Items<T: Decodable>: Decodable { var items: [T] }
    struct AgencyBody: Decodable { var code: String; var name: String; var province: String }
    struct FieldBody: Decodable { var code: String; var name: String }

    @Test("One procedure, with documents, templates and fees")
    func procedure() async throws {
        try await TestEnvironment.withApp { client in
            let response = try await client.execute(uri: "/api/v1/procedures/000.00.08.H06/1.005384", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let body = try response.json(ProcedureBody.self)
            #expect(body.code == "1.005384" && body.agency.code == "000.00.08.H06")
            #expect(!body.requiredDocuments.isEmpty && !body.steps.isEmpty)
            #expect(body.processingDays > 0)
            for template in body.formTemplates {
                let download = try await client.execute(uri: template.downloadUrl, method: .get)
                #expect(download.status == .ok && download.body.readableBytes == template.size)
            }
        }
    }

    @Test("Agencies and fields")
    func agenciesAndFields() async throws {
        try await TestEnvironment.withApp { client in
            let agencies = try await client.execute(uri: "/api/v1/agencies", method: .get).json(Items<AgencyBody>.self)
            #expect(agencies.items.count == 4)
            #expect(agencies.items.allSatisfy { Identifiers.isAgencyCode($0.code) })
            let fields = try await client.execute(uri: "/api/v1/fields", method: .get).json(Items<FieldBody>.self)
            #expect(fields.items.count >= 5)
        }
    }

    @Test("Unknown procedures and routes answer with a 404 problem document")
    func notFound() async throws {
        try await TestEnvironment.withApp { client in
            let encoded = try await client.execute(uri: "/api/v1/procedures/000%2E00%2E08%2EH06/1.005384", method: .get)
            #expect(encoded.status == .ok)
            for uri in ["/api/v1/procedures/000.00.07.H52/9.999999", "/api/v1/procedures/bad/code", "/api/v1/nothing"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri)")
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.text.contains("\"status\":404"))
            }
        }
    }
}
