import Foundation
import HTTPTypes
import HummingbirdBcrypt
import NIOCore
import NIOPosix

/// bcrypt, run on the thread pool: it is slow by design and must not stall the event loops. At most
/// `gate.limit` hashes run at once (fewer than the cores, so fast requests always find one), with a short
/// queue; beyond it a login or registration is answered 503 with Retry-After (`Busy`).
struct PasswordHasher: Sendable {
    let cost: UInt8
    /// A hash at the same cost as real ones, checked when the account does not exist, so that a login
    /// takes the same time either way and does not reveal which e-mail addresses have accounts.
    let decoyHash: String
    let gate: WorkGate

    /// All cores but one for bcrypt (at least one), and a queue of eight per running hash.
    static func defaultGate() -> WorkGate {
        let limit = max(1, System.coreCount - 1)
        return WorkGate(limit: limit, queueLimit: 8 * limit)
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
        return try await gated { try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(normalized, cost: cost) } }
    }

    /// Checks the NFC form; a hash made before passwords were normalized (from the bytes as typed) is
    /// checked against those bytes as well, so existing passwords keep working.
    func verify(_ password: String, hash: String) async throws -> Bool {
        let normalized = Self.normalized(password)
        return try await gated {
            try await NIOThreadPool.singleton.runIfActive {
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

