import Foundation
import Hummingbird

struct ItemsDTO<Item: Codable & Sendable>: ResponseCodable, Sendable {
    var items: [Item]
}
