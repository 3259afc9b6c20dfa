import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends text messages through a brand-name SMS gateway's HTTP API: one POST of a JSON body
/// `{"to", "from", "text", "reference"}` with the API key as a bearer token. `reference` is the outbox
/// message's id, so a gateway that deduplicates can drop a message retried after a lost answer.
struct SMSGateway: SMSSender {
    struct Settings: Sendable, Equatable {
        var url: String
        var apiKey: String
        var sender: String
        var timeout: Duration = .seconds(15)
    }

    /// The gateway's refusal: a 4xx other than 408/429 means the request itself is wrong (a bad number, a
    /// bad key) and repeating it cannot help; anything else is worth another try.
    struct Failure: DeliveryFailure, CustomStringConvertible {
        var status: Int
        var body: String
        var isPermanent: Bool { (400..<500).contains(status) && status != 408 && status != 429 }
        var description: String { "SMS gateway answered \(status): \(body)" }
    }

    struct NotAPhoneNumber: DeliveryFailure, CustomStringConvertible {
        var phone: String
        var isPermanent: Bool { true }
        var description: String { "'\(phone)' is not a Vietnamese phone number" }
    }

    private struct Body: Encodable {
        var to: String
        var from: String
        var text: String
        var reference: String
    }

    let settings: Settings
    var client: HTTPClient = .shared

    func send(_ message: OutboxMessage) async throws {
        guard let number = SMSText.internationalNumber(message.recipient) else { throw NotAPhoneNumber(phone: message.recipient) }
        var request = HTTPClientRequest(url: settings.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "Authorization", value: "Bearer \(settings.apiKey)")
        let body = Body(to: number, from: settings.sender, text: message.bodyText, reference: "motcua-\(message.id)")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let response = try await client.execute(request, timeout: .milliseconds(settings.timeout.milliseconds))
        let answer = try await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(Int(response.status.code)) else {
            throw Failure(status: Int(response.status.code), body: String(buffer: answer).prefix(300).description)
        }
    }
}
