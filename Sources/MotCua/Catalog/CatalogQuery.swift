import Foundation
import Hummingbird

/// Reads catalog search parameters (`q`, `agency`, `field`, `level`, `page`, `perPage`) the same way for
/// pages and the API, refusing values that would otherwise change the meaning of the search.
enum CatalogQuery {
    static let maxTextLength = 200
    static let maxPage = 100_000
    static let maxPerPage = 100

    static func parse(_ parameters: QueryValues) throws -> CatalogSearchIndex.Query {
        var query = CatalogSearchIndex.Query()
        var problems: [ProblemDetails.FieldError] = []
        let raw = parameters["q"] ?? ""
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // Counted in code points before trimming, so combining marks or padding cannot stretch the limit.
        if raw.unicodeScalars.count > maxTextLength {
            problems.append(.init(name: "q", reason: "Từ khóa tìm kiếm quá dài (tối đa \(maxTextLength) ký tự)."))
        } else {
            query.text = String(text.unicodeScalars.filter { !$0.properties.isNoncharacterCodePoint && $0.value >= 0x20 })
        }
        if let agency = nonEmpty(parameters["agency"]) {
            if Identifiers.isAgencyCode(agency) { query.agencyCode = agency } else {
                problems.append(.init(name: "agency", reason: "Mã cơ quan không hợp lệ."))
            }
        }
        if let field = nonEmpty(parameters["field"]) {
            if Identifiers.isSlug(field) { query.fieldCode = field } else {
                problems.append(.init(name: "field", reason: "Mã lĩnh vực không hợp lệ."))
            }
        }
        if let level = nonEmpty(parameters["level"]) {
            if let value = OnlineLevel(rawValue: level) { query.onlineLevel = value } else {
                problems.append(.init(name: "level", reason: "Mức độ dịch vụ phải là full hoặc partial."))
            }
        }
        if let page = nonEmpty(parameters["page"]) {
            if let value = Int(page), (1...maxPage).contains(value) { query.page = value } else {
                problems.append(.init(name: "page", reason: "Số trang phải là số nguyên từ 1 đến \(maxPage)."))
            }
        }
        if let perPage = nonEmpty(parameters["perPage"]) {
            if let value = Int(perPage), (1...maxPerPage).contains(value) { query.perPage = value } else {
                problems.append(.init(name: "perPage", reason: "Số mục mỗi trang phải từ 1 đến \(maxPerPage)."))
            }
        }
        if !problems.isEmpty {
            throw PortalError.badRequest(problems.map(\.reason).joined(separator: " "), fields: problems)
        }
        return query
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }
}

