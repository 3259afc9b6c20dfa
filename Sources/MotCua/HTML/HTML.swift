import Crypto
import Foundation
import Hummingbird
import Mustache

/// A rendered page: `text/html; charset=utf-8` with the given status.
public struct HTML: ResponseGenerator, Sendable {
    let body: String
    var status: HTTPResponse.Status = .ok

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

