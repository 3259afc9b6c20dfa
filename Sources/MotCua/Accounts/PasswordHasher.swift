import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on the thread pool: it is slow by design and must not stall the event loops.
struct PasswordHasher: Sendable {
    let cost: UInt8
    /// A hash at the same cost as real ones, checked when the account does not exist, so that a login
    /// takes the same time either way and does not reveal which e-mail addresses have accounts.
    let decoyHash: String

    init(cost: UInt8) {
        self.cost = cost
        self.decoyHash = Bcrypt.hash("không có tài khoản này", cost: cost)
    }

    /// Passwords are hashed in Unicode NFC, so "Mật khẩu" typed precomposed (most keyboards) or decomposed
    /// (some macOS and phone input methods) is the same password.
    static func normalized(_ password: String) -> String { password.precomposedStringWithCanonicalMapping }

    func hash(_ password: String) async throws -> String {
        let normalized = Self.normalized(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(normalized, cost: cost) }
    }

    /// Checks the NFC form; a hash made before passwords were normalized (from the bytes as typed) is
    /// checked against those bytes as well, so existing passwords keep working.
    func verify(_ password: String, hash: String) async throws -> Bool {
        let normalized = Self.normalized(password)
        return try await NIOThreadPool.singleton.runIfActive {
            if Bcrypt.verify(normalized, hash: hash) { return true }
            return normalized.utf8.elementsEqual(password.utf8) ? false : Bcrypt.verify(password, hash: hash)
        }
    }
}

