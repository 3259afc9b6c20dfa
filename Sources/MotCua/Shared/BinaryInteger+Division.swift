import Foundation

extension BinaryInteger {
    /// Division rounding towards minus infinity (times before 1970 stay on the right day).
    func dividedRoundingDown(by divisor: Self) -> Self {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
