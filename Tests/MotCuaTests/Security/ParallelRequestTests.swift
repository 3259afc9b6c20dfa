import Foundation
import NIOCore
import SQLKit
import Testing

@testable import MotCua

/// Limits and single-use rules under parallel requests: each of these held one request at a time and broke
/// when many came at once (issue "Hardening", races 1–4).
@Suite("Limits that hold under parallel requests")
struct ParallelRequestTests {
    static let password = "Mat-khau-dung-2026!"

    private static func account(_ dependencies: AppDependencies, email: String) async throws -> User {
        let hash = try await dependencies.accounts.hasher.hash(password)
        return try await dependencies.database.transaction { db in
            try await UserStore.insert(NewUser(
                kind: .individual, email: email, passwordHash: hash, displayName: "Trần Thị Song Song",
                citizenID: "001199000777", phone: "0912345678", address: "Cần Thơ", emailVerified: false), in: db)
        }
    }

    @Test("50 wrong passwords sent at once for one account: at most 5 reach the password check, the rest are locked out")
    func parallelLogins() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let user = try await Self.account(dependencies, email: "song.song@example.vn")
            let outcomes = try await withThrowingTaskGroup(of: AccountService.LoginOutcome.self) { group in
                for attempt in 0..<50 {
                    group.addTask {
                        try await dependencies.accounts.login(
                            email: user.email, password: "sai-mat-khau-\(attempt)", ip: "198.51.100.\(attempt)", userAgent: "test")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let checked = outcomes.filter { if case .invalid = $0 { true } else { false } }.count
            let locked = outcomes.filter { if case .locked = $0 { true } else { false } }.count
            #expect(checked >= 1 && checked <= Throttle.loginPerAccount.limit, "\(checked) attempts reached the password check")
            #expect(checked + locked == 50)
            // Even the right password waits for the lock to pass.
            let right = try await dependencies.accounts.login(email: user.email, password: Self.password, ip: "198.51.100.200", userAgent: "test")
            #expect({ if case .locked = right { true } else { false } }())
        }
    }

    @Test("One password reset link used by 10 requests at once changes the password once; one verification link verifies once")
    func singleUseLinks() async throws {
        try await TestEnvironment.withDependencies(demoData: false) { dependencies in
            let user = try await Self.account(dependencies, email: "mot.lan@example.vn")
            let (reset, verify) = try await dependencies.database.transaction { db in
                (try await AccountTokens.issue(userID: user.id, purpose: .resetPassword, in: db),
                 try await AccountTokens.issue(userID: user.id, purpose: .verifyEmail, in: db))
            }
            // Each request hashes its new password first; past the bcrypt queue a request is turned away (503).
            let resets = try await withThrowingTaskGroup(of: AccountService.PasswordOutcome?.self) { group in
                for attempt in 0..<10 {
                    group.addTask {
                        let password = "Mat-khau-moi-\(attempt)-2026!"
                        do {
                            return try await dependencies.accounts.resetPassword(token: reset, password: password, confirmation: password)
                        } catch is PasswordHasher.Busy {
                            return nil
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(resets.filter { $0 == .done }.count == 1)
            #expect(resets.filter { $0 == .invalidToken || $0 == nil }.count == 9)
            let verifications = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<10 { group.addTask { try await dependencies.accounts.verifyEmail(token: verify) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(verifications.filter { $0 }.count == 1)
        }
    }

    @Test("Parallel uploads to one dossier never exceed its total size")
    func parallelUploads() async throws {
        try await TestEnvironment.withDependencies { dependencies in
            let filing = try await Filing.make(dependencies)
            let draft = try await filing.draft(complete: false)
            // 10 KB for the whole dossier, 8 KB a file; six 4 KB files sent at once: at most two fit.
            let limits = UploadLimits(maxFileBytes: 8 * 1024, maxDossierBytes: 10 * 1024)
            let service = DossierService(database: dependencies.database, catalog: dependencies.catalogReader,
                                         publicURL: "http://127.0.0.1:8080", limits: limits)
            let uploader = AttachmentUploader(service: service, fileStore: dependencies.fileStore)
            let before = try await service.store.attachments(dossierID: draft.id).reduce(Int64(0)) { $0 + $1.size }
            let results = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        let tail = Array("\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)
                        var bytes = Array("%PDF-1.4\n% tep \(index) ".utf8)
                        bytes += [UInt8](repeating: 0x78, count: 4096 - bytes.count - tail.count) + tail
                        let chunks = AsyncStream<ByteBuffer> { continuation in
                            continuation.yield(ByteBuffer(bytes: bytes))
                            continuation.finish()
                        }
                        do {
                            _ = try await uploader.store(chunks, declaredLength: Int64(bytes.count), fileName: { "tep-\(index).pdf" },
                                                         dossier: draft, position: 0, applicant: filing.applicant)
                            return true
                        } catch let error as UploadError {
                            if case .tooLarge = error { return false }
                            Issue.record("unexpected refusal \(error)")
                            return false
                        } catch {
                            Issue.record("unexpected error \(error)")
                            return false
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let total = try await service.store.attachments(dossierID: draft.id).reduce(Int64(0)) { $0 + $1.size }
            #expect(total <= limits.maxDossierBytes, "the dossier holds \(total) bytes")
            #expect(Int64(results.filter { $0 }.count) == (limits.maxDossierBytes - before) / 4096)
        }
    }
}
