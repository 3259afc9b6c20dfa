import Crypto
import Foundation
import HTTPTypes
import NIOCore
import NIOCore
import SQLKit
import Testing

@testable import MotCua

@Suite("File store")
struct FileStoreTests {
    private func withStore(_ body: (LocalFileStore, URL) async throws -> Void) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try await body(try LocalFileStore(root: root), root)
    }

    @Test("Files are named by their SHA-256 and read back intact")
    func roundTrip() async throws {
        try await withStore { store, _ in
            let bytes = Array("Giấy tiếp nhận hồ sơ".utf8)
            let stored = try await store.write(bytes: bytes)
            let expected = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            #expect(stored.sha256 == expected)
            #expect(stored.size == Int64(bytes.count))
            let back = try await store.read(sha256: stored.sha256)
            #expect(Array(back.readableBytesView) == bytes)
        }
    }

    @Test("The same content is stored once, and no temp file is left")
    func deduplicates() async throws {
        try await withStore { store, root in
            let first = try await store.write(bytes: [1, 2, 3])
            let second = try await store.write(bytes: [1, 2, 3])
            #expect(first == second)
            let temps = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("tmp").path)
            #expect(temps.isEmpty)
        }
    }

    @Test("Too much data is refused while streaming and leaves nothing behind")
    func refusesOversize() async throws {
        try await withStore { store, root in
            await #expect(throws: FileStoreError.tooLarge(limit: 4)) {
                _ = try await store.write(bytes: [1, 2, 3, 4, 5], maxBytes: 4)
            }
            let temps = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("tmp").path)
            #expect(temps.isEmpty)
        }
    }

    /// Chunks as an upload streams them.
    private struct Chunks: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let parts: [[UInt8]]
        struct AsyncIterator: AsyncIteratorProtocol {
            var rest: [[UInt8]]
            mutating func next() async -> ByteBuffer? { rest.isEmpty ? nil : ByteBuffer(bytes: rest.removeFirst()) }
        }
        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(rest: parts) }
    }

    @Test("A stream of several chunks is one file; an empty stream an empty file; a refusal after the first chunk (size, content) leaves nothing")
    func streams() async throws {
        try await withStore { store, root in
            let parts: [[UInt8]] = [Array("Tờ khai ".utf8), Array(repeating: 7, count: 70_000), Array("hết".utf8)]
            let stored = try await store.write(Chunks(parts: parts), maxBytes: 1_000_000)
            #expect(Array(try await store.read(sha256: stored.sha256).readableBytesView) == parts.flatMap { $0 })

            let empty = try await store.write(Chunks(parts: []), maxBytes: 10)
            #expect(empty.size == 0 && empty.sha256 == SHA256.hash(data: [UInt8]()).map { String(format: "%02x", $0) }.joined())
            #expect(try await store.read(sha256: empty.sha256).readableBytes == 0)

            await #expect(throws: FileStoreError.tooLarge(limit: 10)) {
                _ = try await store.write(Chunks(parts: [[1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11]]), maxBytes: 10)
            }
            struct NotAPDF: Error {}
            await #expect(throws: NotAPDF.self) {
                _ = try await store.write(Chunks(parts: [[1, 2], [3]]), maxBytes: 10, accept: { _ in throw NotAPDF() })
            }
            let temps = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("tmp").path)
            #expect(temps.isEmpty, "left behind: \(temps)")
            let objects = try await store.storedFiles(modifiedBefore: Date().addingTimeInterval(60))
            #expect(Set(objects) == [stored.sha256, empty.sha256])
        }
    }

    @Test("Names that are not a SHA-256 digest are never turned into paths", arguments: [
        "../../etc/passwd", "", "ABCDEF", String(repeating: "g", count: 64), String(repeating: "a", count: 63) + "/",
    ])
    func rejectsBadNames(name: String) async throws {
        try await withStore { store, _ in
            await #expect(throws: FileStoreError.invalidName) { _ = try await store.read(sha256: name) }
        }
    }
}

@Suite("File store sweep")
struct FileStoreSweepTests {
    @Test("Files nothing refers to and unfinished temp files go after the grace period; referenced files stay")
    func sweep() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let store = dependencies.fileStore
            let orphan = try await store.write(bytes: Array("%PDF-1.4 orphan \(UUID())\n%%EOF".utf8))
            let template = try #require(try await dependencies.database.read { db in
                try await db.raw("SELECT sha256 FROM form_templates LIMIT 1").first()?.decode(column: "sha256", as: String.self)
            })
            let temporary = dependencies.configuration.filesDirectory.appendingPathComponent("tmp/half-written-upload")
            try Data("partial".utf8).write(to: temporary)

            // Within the grace period nothing goes: an upload may still be on its way to its commit.
            let early = try await dependencies.draftCleanup.sweepFiles(grace: .seconds(3600))
            #expect(early.orphans == 0 && early.temporary == 0)
            #expect(await store.exists(sha256: orphan.sha256))

            let swept = try await dependencies.draftCleanup.sweepFiles(grace: .zero, now: Date().addingTimeInterval(1))
            #expect(swept.orphans == 1 && swept.temporary == 1)
            #expect(!(await store.exists(sha256: orphan.sha256)))
            #expect(await store.exists(sha256: template))
            #expect(!FileManager.default.fileExists(atPath: temporary.path))
        }
    }
}
