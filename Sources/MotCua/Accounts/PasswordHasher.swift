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

    func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}

