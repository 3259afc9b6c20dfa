import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import Synchronization

/// The bytes of the first file in a `multipart/form-data` body, pulled from the request as it arrives:
/// nothing is buffered beyond the chunk being parsed, so a large upload costs no more memory than a small one.
struct MultipartFileStream: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let body: RequestBody
    let boundary: String
    /// The name the browser gave the file (display only), once its part header has been read.
    let fileName = SharedName()

    final class SharedName: Sendable {
        private let value = Mutex<String?>(nil)
        var current: String? { value.withLock { $0 } }
        func set(_ name: String) { value.withLock { $0 = name } }
    }

    /// The body ended inside the file part: a cut-off upload, not a file.
    struct Interrupted: Error {}

    /// The boundary of a `multipart/form-data` content type, or nil.
    static func boundary(from contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty || value.utf8.count > 70 ? nil : value
            }
        }
        return nil
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(source: body.makeAsyncIterator(), boundary: boundary, fileName: fileName)
    }

    struct Iterator: AsyncIteratorProtocol {
        /// Parser callbacks and the iterator share this; both run in the one task that reads the upload.
        final class State {
            var queue: [ByteBuffer] = []
            var inFile = false
            var fileDone = false
        }

        var source: RequestBody.AsyncIterator
        let parser: MultipartParser
        let state = State()

        init(source: RequestBody.AsyncIterator, boundary: String, fileName: SharedName) {
            self.source = source
            self.parser = MultipartParser(boundary: boundary)
            let state = self.state
            parser.onHeader = { name, value in
                // The disposition's parameters read as RFC 7578 writes them (quoted strings may hold ";",
                // `filename*` carries UTF-8), not by searching for "filename=".
                guard name.lowercased() == "content-disposition", !state.fileDone,
                      let name = ContentDisposition.fileName(of: value)
                else { return }
                state.inFile = true
                fileName.set(name)
            }
            parser.onBody = { buffer in
                if state.inFile { state.queue.append(buffer) }
            }
            parser.onPartComplete = {
                if state.inFile {
                    state.inFile = false
                    state.fileDone = true
                }
            }
        }

        mutating func next() async throws -> ByteBuffer? {
            while true {
                if !state.queue.isEmpty { return state.queue.removeFirst() }
                if state.fileDone { return nil }
                guard let chunk = try await source.next() else {
                    // The body ended inside the file part: a cut-off upload, not a file.
                    if state.inFile { throw Interrupted() }
                    return nil
                }
                try parser.execute(chunk)
            }
        }
    }
}
