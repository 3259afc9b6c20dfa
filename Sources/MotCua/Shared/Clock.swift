import Foundation

/// Wall-clock helpers: timestamps are stored as Unix milliseconds on both engines.
enum Clock {
    static func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
