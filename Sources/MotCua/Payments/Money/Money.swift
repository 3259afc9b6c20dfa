import Foundation
import HTTPTypes

// Amounts of money in Vietnamese đồng, as whole integers.
//
// Our own code: no money or currency package is among the Swift packages available to this project (the local
// package mirror and the installed-package list have none), and none is needed: the đồng has had no subunit in circulation since 1985, so an amount is an `Int64` count of đồng and
// every sum is exact. There is no `Double` anywhere on the money path: gateways that want a decimal
// (VNPay's ×100) get it by integer multiplication, and text is parsed digit by digit.

/// An amount of Vietnamese đồng (VND, ISO 4217 "704"): never fractional, never a `Double`.
/// Negative amounts exist only as differences (a refund balance, a shortfall); what is charged or paid is
/// positive, which `requirePositive()` checks at the edges.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The amount in đồng.
    public let dong: Int64

    public init(dong: Int64) {
        self.dong = dong
    }

    public static let zero = Money(dong: 0)

    /// The largest amount the portal accepts from text: 999.999.999.999.999 đ (15 digits). A sum of a
    /// hundred thousand of these still fits an `Int64`, so adding statement lines cannot overflow.
    public static let maximum = Money(dong: 999_999_999_999_999)

    public var isPositive: Bool { dong > 0 }

    /// The amount when it is more than zero, or the Vietnamese refusal.
    public func requirePositive() throws(MoneyError) -> Money {
        guard dong > 0 else { throw .notPositive }
        return self
    }

    // MARK: Arithmetic (traps on overflow like all Swift integers; `sum` reports it instead)

    public static func + (left: Money, right: Money) -> Money { Money(dong: left.dong + right.dong) }
    public static func - (left: Money, right: Money) -> Money { Money(dong: left.dong - right.dong) }
    public static func * (left: Money, count: Int64) -> Money { Money(dong: left.dong * count) }
    public static func += (left: inout Money, right: Money) { left = left + right }
    public static func -= (left: inout Money, right: Money) { left = left - right }
    public static prefix func - (amount: Money) -> Money { Money(dong: -amount.dong) }
    public static func < (left: Money, right: Money) -> Bool { left.dong < right.dong }

    /// The total of `amounts`, or `MoneyError.tooLarge` if it does not fit (never a wrapped number).
    public static func sum(_ amounts: some Sequence<Money>) throws(MoneyError) -> Money {
        var total: Int64 = 0
        for amount in amounts {
            let (next, overflow) = total.addingReportingOverflow(amount.dong)
            guard !overflow else { throw .tooLarge }
            total = next
        }
        return Money(dong: total)
    }

    // MARK: Text

    /// "100.000 đ": digits grouped by three with dots, then a space and "đ", as Vietnamese invoices write it.
    public var formatted: String { grouped + " đ" }

    /// "100.000", without the currency sign (table cells that say "đồng" in the header).
    public var grouped: String {
        let digits = String(dong.magnitude)
        var text = dong < 0 ? "-" : ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(".") }
            text.append(character)
        }
        return text
    }

    /// The bare digits, "100000", as protocols and QR payloads carry them.
    public var plainDigits: String { String(dong) }

    public var description: String { formatted }

    /// Reads an amount the way people and bank statements write one: "100000", "100.000", "100,000",
    /// "100 000", "100.000 đ", "100.000đ", "100.000 VND", "100.000 VNĐ", and the two decimal styles of
    /// statements, "100,000.00" and "100.000,00" (only zero decimals: the đồng has no subunit).
    /// Grouping must be consistent (groups of three after the first); anything else is refused rather than
    /// guessed, because "1.5" could be 15 or 1,5.
    public init(parsing text: String) throws(MoneyError) {
        var body = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        for suffix in ["vnđ", "vnd", "đồng", "đ", "d"] {
            if body.lowercased().hasSuffix(suffix) {
                body = body.dropLast(suffix.count)
                break
            }
        }
        body = Substring(String(body).trimmingCharacters(in: .whitespacesAndNewlines))
        guard !body.isEmpty else { throw .empty }
        guard !body.hasPrefix("-") && !body.hasPrefix("+") else { throw .notPositive }
        var characters = Array(body)
        // A decimal part: the last separator is followed by one or two digits, and differs from the
        // grouping separator (if any grouping is used) — "100.000,00" or "100,000.00" or "100000.00".
        if let last = characters.lastIndex(where: { $0 == "." || $0 == "," }) {
            let decimals = characters[(last + 1)...]
            let others = characters[..<last].filter { $0 == "." || $0 == "," }
            if (1...2).contains(decimals.count) && decimals.allSatisfy(\.isASCIIDigit)
                && others.allSatisfy({ $0 != characters[last] }) {
                guard decimals.allSatisfy({ $0 == "0" }) else { throw .fractional }
                characters = Array(characters[..<last])
            }
        }
        let separators = Set(characters.filter { !$0.isASCIIDigit })
        guard separators.isSubset(of: [".", ",", " ", "\u{00A0}"]) else { throw .notANumber }
        guard separators.count <= 1 else { throw .notANumber }
        var digits = ""
        if let separator = separators.first {
            let groups = characters.split(separator: separator, omittingEmptySubsequences: false)
            guard let first = groups.first, (1...3).contains(first.count),
                  groups.dropFirst().allSatisfy({ $0.count == 3 }) else { throw .notANumber }
            digits = String(groups.joined())
        } else {
            digits = String(characters)
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { throw .notANumber }
        let significant = digits.drop { $0 == "0" }
        guard significant.count <= 15, let value = Int64(digits) else { throw .tooLarge }
        guard value <= Money.maximum.dong else { throw .tooLarge }
        self.init(dong: value)
    }

    // MARK: Codable: a plain JSON integer, like `Fee.amount`

    public init(from decoder: any Decoder) throws {
        dong = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dong)
    }
}

/// Why an amount was refused; `message` is Vietnamese and safe to show beside the field.
public enum MoneyError: PortalErrorConvertible, Equatable, Sendable {
    case empty
    case notANumber
    case fractional
    case notPositive
    case tooLarge

    public var message: String {
        switch self {
        case .empty: "Vui lòng nhập số tiền."
        case .notANumber: "Số tiền không hợp lệ. Hãy ghi số đồng, ví dụ 100000 hoặc 100.000."
        case .fractional: "Số tiền bằng đồng không có phần lẻ sau dấu phẩy."
        case .notPositive: "Số tiền phải lớn hơn 0 đồng."
        case .tooLarge: "Số tiền quá lớn."
        }
    }

    public var portalError: PortalError { PortalError(status: .unprocessableContent, message: message) }
}

extension Character {
    /// "0"…"9" only (not other scripts' digits, which `isNumber` accepts).
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
