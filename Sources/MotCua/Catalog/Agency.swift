import Foundation

public struct BankAccount: Sendable, Codable, Equatable {
    public var accountNumber: String
    public var bankName: String
    public var accountHolder: String
    /// The bank's NAPAS BIN (6 digits), which a VietQR code names the bank by; without it no code is shown.
    public var bin: String? = nil
}

public struct Agency: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var province: String
    public var address: String
    public var phone: String
    public var email: String
    public var website: String
    public var bankAccount: BankAccount?
}
