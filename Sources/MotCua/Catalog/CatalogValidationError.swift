import Foundation

/// One thing wrong with a catalog file: where (`procedures[3].fees[0].amount`) and what.
public struct CatalogProblem: Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

public struct CatalogValidationError: Error, Sendable, CustomStringConvertible {
    public let problems: [CatalogProblem]
    public var description: String {
        "Tệp danh mục có \(problems.count) lỗi:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
