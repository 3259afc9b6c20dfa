import Foundation
import SQLKit

/// JSON text columns: list-valued attributes stored as JSON on both engines.
enum JSONColumn {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ row: any SQLRow, _ column: String) throws -> T {
        let text = try row.decode(column: column, as: String.self)
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    static func enumValue<T: RawRepresentable>(_ row: any SQLRow, _ column: String) throws -> T where T.RawValue == String {
        let raw = try row.decode(column: column, as: String.self)
        guard let value = T(rawValue: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "Unknown \(column) '\(raw)'"))
        }
        return value
    }
}
