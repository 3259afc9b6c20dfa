import Foundation
import HTTPTypes
import HummingbirdBcrypt
import NIOCore
import NIOPosix

/// bcrypt, run on a thread pool of its own: it is slow by design and must not stall the event loops. At most
/// `gate.limit` hashes run at once (fewer than the cores, so fast requests always find one), with a short
/// queue; beyond it a login or registration is answered 503 with Retry-After (`Busy`).
///
/// Not on NIO's shared pool: the file store writes there (open, write, fsync, rename, one work item each),
/// and with a hash of 70–100 ms holding one of its two threads every upload and every slip queued behind it.
/// The hashing threads also run at a higher nice value, so that under load the cores go first to the
/// requests that take milliseconds.
struct PasswordHasher: Sendable {
    let cost: UInt8
    /// A hash at the same cost as real ones, checked when the account does not exist, so that a login
    /// takes the same time either way and does not reveal which e-mail addresses have accounts.
    let decoyHash: String
    let gate: WorkGate

    /// All cores but one (at least one): the hashes that may run at once.
    static let concurrentHashes = max(1, System.coreCount - 1)

    /// Threads for hashing, as many as the default gate lets run at once; for the life of the process.
    static let threadPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: concurrentHashes)
        pool.start()
        return pool
    }()

    /// The nice value of the hashing threads (Linux), set by each hash on its thread (a cheap call beside a
    /// hash): a login waits a little longer under load, the pages do not.
    static let niceness: Int32 = 5

    /// `concurrentHashes` at once, and a queue of eight per running hash.
    static func defaultGate() -> WorkGate {
        WorkGate(limit: concurrentHashes, queueLimit: 8 * concurrentHashes)
    }

    init(cost: UInt8, gate: WorkGate = PasswordHasher.defaultGate()) {
        self.cost = cost
        self.gate = gate
        self.decoyHash = Bcrypt.hash("không có tài khoản này", cost: cost)
    }

    /// Too many passwords being checked at once: try again in a moment.
    struct Busy: PortalErrorConvertible {
        var portalError: PortalError {
            var error = PortalError(status: .serviceUnavailable,
                                    message: "Hệ thống đang xử lý nhiều lượt đăng nhập cùng lúc. Vui lòng thử lại sau vài giây.")
            error.retryAfterSeconds = 2
            return error
        }
    }

    /// Passwords are hashed in Unicode NFC, so "Mật khẩu" typed precomposed (most keyboards) or decomposed
    /// (some macOS and phone input methods) is the same password.
    static func normalized(_ password: String) -> String { password.precomposedStringWithCanonicalMapping }

    func hash(_ password: String) async throws -> String {
        let normalized = Self.normalized(password)
        return try await gated {
            try await Self.threadPool.runIfActive {
                ThreadNiceness.setCurrent(Self.niceness)
                return Bcrypt.hash(normalized, cost: cost)
            }
        }
    }

    /// Checks the NFC form; a hash made before passwords were normalized (from the bytes as typed) is
    /// checked against those bytes as well, so existing passwords keep working.
    func verify(_ password: String, hash: String) async throws -> Bool {
        let normalized = Self.normalized(password)
        return try await gated {
            try await Self.threadPool.runIfActive {
                ThreadNiceness.setCurrent(Self.niceness)
                if Bcrypt.verify(normalized, hash: hash) { return true }
                return normalized.utf8.elementsEqual(password.utf8) ? false : Bcrypt.verify(password, hash: hash)
            }
        }
    }

    private func gated<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await gate.run(body)
        } catch is WorkGate.Full {
            throw Busy()
        }
    }
}

