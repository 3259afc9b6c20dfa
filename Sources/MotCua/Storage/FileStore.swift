import Foundation
import NIOCore

/// A file kept by the portal, named by the SHA-256 of its content.
public struct StoredFile: Sendable, Equatable {
    public let sha256: String
    public let size: Int64
}

public enum FileStoreError: Error, Equatable {
    case tooLarge(limit: Int64)
    case notFound
    case invalidName
}

/// Content-addressed file storage. Files are written completely and durably before they get their
/// name, so a reader never sees half a file and a crash leaves at most a temp file behind.
public protocol FileStore: Sendable {
    /// Streams `chunks` to storage, failing with `tooLarge` as soon as more than `maxBytes` arrive. `accept`
    /// sees the first and last bytes before the file gets its name; when it throws, nothing is kept.
    func write<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, maxBytes: Int64, accept: @Sendable (ContentSniffer.Sample) throws -> Void
    ) async throws -> StoredFile where Chunks.Element == ByteBuffer
    /// Reads a whole (small) file.
    func read(sha256: String) async throws -> ByteBuffer
    func exists(sha256: String) async -> Bool
    /// Removes a stored file; removing one that is not there is not an error.
    func delete(sha256: String) async throws
    /// Stored files last written (or deduplicated onto) before `date`: candidates for the orphan sweep.
    func storedFiles(modifiedBefore date: Date) async throws -> [String]
    /// Removes temp files of uploads that never finished (a crash, a kill) older than `date`.
    func removeTemporaryFiles(modifiedBefore date: Date) async throws -> Int
    /// Where a stored file is on local disk, for streaming it out; nil for stores that are not local.
    func localPath(sha256: String) -> String?
}

extension FileStore {
    public func write(bytes: [UInt8], maxBytes: Int64 = .max) async throws -> StoredFile {
        try await write(SingleChunk(buffer: ByteBuffer(bytes: bytes)), maxBytes: maxBytes, accept: { _ in })
    }

    public func write<Chunks: AsyncSequence & Sendable>(_ chunks: Chunks, maxBytes: Int64) async throws -> StoredFile
    where Chunks.Element == ByteBuffer {
        try await write(chunks, maxBytes: maxBytes, accept: { _ in })
    }
}

/// An async sequence of one buffer, for writing bytes already in memory.
struct SingleChunk: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let buffer: ByteBuffer

    struct AsyncIterator: AsyncIteratorProtocol {
        var buffer: ByteBuffer?
        mutating func next() async -> ByteBuffer? {
            defer { buffer = nil }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: buffer) }
}
