import Crypto
import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files on local disk under `root`: `objects/ab/cd/<sha256>`, written to `tmp/` first, fsynced, then
/// renamed into place (and the directory fsynced), so a stored name always means a complete file.
public struct LocalFileStore: FileStore {
    let root: URL
    private let threadPool: NIOThreadPool
    private let executor: ThreadPoolTaskExecutor

    public init(root: URL, threadPool: NIOThreadPool = .singleton) throws {
        self.root = root
        self.threadPool = threadPool
        self.executor = ThreadPoolTaskExecutor(pool: threadPool)
        for directory in ["objects", "tmp"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
    }

    public func write<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, maxBytes: Int64, accept: @Sendable (ContentSniffer.Sample) throws -> Void
    ) async throws -> StoredFile where Chunks.Element == ByteBuffer {
        // The write continues on the pool's threads between its trips (as SQLite's reads do on theirs), not on
        // the cooperative pool behind the pages being rendered; it returns there once, with the file stored.
        try await withTaskExecutorPreference(executor) {
            try await writeOnPool(chunks, maxBytes: maxBytes, accept: accept)
        }
    }

    private func writeOnPool<Chunks: AsyncSequence & Sendable>(
        _ chunks: Chunks, maxBytes: Int64, accept: @Sendable (ContentSniffer.Sample) throws -> Void
    ) async throws -> StoredFile where Chunks.Element == ByteBuffer {
        let tempPath = root.appendingPathComponent("tmp/\(UUID().uuidString)").path
        // Few trips to the thread pool: each one waits for a pool thread and then for the caller's executor,
        // which under load costs more than the system calls. The temp file is created with the first chunk,
        // and fsync, rename and the directory's fsync are one trip.
        var descriptor: Int32?
        var hasher = SHA256()
        var size: Int64 = 0
        var sample = ContentSniffer.Sample()
        do {
            for try await chunk in chunks {
                size += Int64(chunk.readableBytes)
                if size > maxBytes { throw FileStoreError.tooLarge(limit: maxBytes) }
                chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                sample.add(chunk.readableBytesView)
                if let fd = descriptor {
                    try await threadPool.runIfActive { try Self.writeAll(chunk, to: fd) }
                } else {
                    descriptor = try await threadPool.runIfActive { try Self.createFile(tempPath, writing: chunk) }
                }
            }
            try accept(sample)
        } catch {
            if let descriptor { close(descriptor) }
            unlink(tempPath)
            throw error
        }
        let sha = hasher.finalize().hexDigits
        let finalURL = objectURL(sha256: sha)
        try await threadPool.runIfActive { [descriptor] in
            // An empty file has no chunk that created it.
            let fd = try descriptor ?? Self.createFile(tempPath, writing: ByteBuffer())
            // Same content already stored (the same scan uploaded again): keep the existing file, which was
            // synced before it got its name, so the copy is dropped without an fsync; touched so the orphan
            // sweep's grace period protects it until its new reference is committed.
            if access(finalURL.path, F_OK) == 0 {
                close(fd)
                unlink(tempPath)
                utimes(finalURL.path, nil)
                return
            }
            let synced = fsync(fd) == 0
            let syncError = errno
            close(fd)
            do {
                guard synced else { throw POSIXFailure(operation: "fsync", code: syncError) }
                let directory = finalURL.deletingLastPathComponent()
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                guard rename(tempPath, finalURL.path) == 0 else { throw POSIXFailure(operation: "rename", code: errno) }
                Self.fsyncDirectory(directory.path)
            } catch {
                unlink(tempPath)
                throw error
            }
        }
        return StoredFile(sha256: sha, size: size)
    }

    /// Creates the temp file and writes its first bytes; on a failure nothing is left open or on disk.
    private static func createFile(_ path: String, writing chunk: ByteBuffer) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw POSIXFailure(operation: "open", code: errno) }
        do {
            try writeAll(chunk, to: fd)
        } catch {
            close(fd)
            unlink(path)
            throw error
        }
        return fd
    }

    public func read(sha256: String) async throws -> ByteBuffer {
        guard Self.isValidName(sha256) else { throw FileStoreError.invalidName }
        let path = objectURL(sha256: sha256).path
        return try await threadPool.runIfActive {
            guard let data = FileManager.default.contents(atPath: path) else { throw FileStoreError.notFound }
            return ByteBuffer(bytes: data)
        }
    }

    public func exists(sha256: String) async -> Bool {
        guard Self.isValidName(sha256) else { return false }
        return access(objectURL(sha256: sha256).path, F_OK) == 0
    }

    public func delete(sha256: String) async throws {
        guard Self.isValidName(sha256) else { throw FileStoreError.invalidName }
        let path = objectURL(sha256: sha256).path
        try await threadPool.runIfActive {
            if unlink(path) != 0 && errno != ENOENT { throw POSIXFailure(operation: "unlink", code: errno) }
        }
    }

    public func storedFiles(modifiedBefore date: Date) async throws -> [String] {
        let objects = root.appendingPathComponent("objects")
        return try await threadPool.runIfActive {
            Self.files(under: objects, modifiedBefore: date).map(\.lastPathComponent).filter(Self.isValidName)
        }
    }

    public func removeTemporaryFiles(modifiedBefore date: Date) async throws -> Int {
        let temporary = root.appendingPathComponent("tmp")
        return try await threadPool.runIfActive {
            Self.files(under: temporary, modifiedBefore: date).reduce(0) { $0 + (unlink($1.path) == 0 ? 1 : 0) }
        }
    }

    public func localPath(sha256: String) -> String? {
        Self.isValidName(sha256) ? objectURL(sha256: sha256).path : nil
    }

    private static func files(under directory: URL, modifiedBefore date: Date) -> [URL] {
        guard let walker = FileManager.default.enumerator(
            at: directory, includingPropertiesForKeys: [.contentModificationDateKey, .isRegularFileKey])
        else { return [] }
        var found: [URL] = []
        for case let url as URL in walker {
            guard let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .isRegularFileKey]),
                  values.isRegularFile == true, let modified = values.contentModificationDate, modified < date
            else { continue }
            found.append(url)
        }
        return found
    }

    /// Only ever built from a validated hex digest, never from anything a user typed.
    func objectURL(sha256: String) -> URL {
        let a = sha256.prefix(2), b = sha256.dropFirst(2).prefix(2)
        return root.appendingPathComponent("objects/\(a)/\(b)/\(sha256)")
    }

    static func isValidName(_ name: String) -> Bool {
        name.utf8.count == 64 && name.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    private static func writeAll(_ buffer: ByteBuffer, to descriptor: Int32) throws {
        try buffer.withUnsafeReadableBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw POSIXFailure(operation: "write", code: errno)
                }
                offset += written
            }
        }
    }

    private static func fsyncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}

