/// Hashing and equality of strings by their UTF-8 bytes, for the keys of `FragmentCache`.
///
/// Swift's `String` hashes and compares by canonical equivalence: every string that is not ASCII (every
/// Vietnamese name) is normalized to NFC on each hash and each comparison. Looking up the 50 rows of a back
/// office queue that way was 8–9 % of its page's CPU (`perf`, bench/issue11.sh). A cache key needs no more
/// than "the same bytes": two spellings of one name at worst miss the cache and render the row again, and
/// the rows' strings all come from the database as stored.
///
/// A row model keyed this way lists its stored properties in `==` and `hash(into:)` by hand; its test
/// (`ByteKeyTests`) changes each property in turn and counts them against the type's `Mirror`, so a property
/// added later without its key fails there.
enum ByteKey {
    static func same(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }
        let fast = a.utf8.withContiguousStorageIfAvailable { left in
            b.utf8.withContiguousStorageIfAvailable { right in left.elementsEqual(right) }
        }
        return (fast ?? nil) ?? a.utf8.elementsEqual(b.utf8)
    }

    static func same(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case let (a?, b?): same(a, b)
        default: false
        }
    }
}

extension Hasher {
    /// The string's UTF-8 bytes and their count (so that "ab", "c" and "a", "bc" differ).
    mutating func combineBytes(of string: String) {
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { combine(bytes: UnsafeRawBufferPointer($0)) }
        if done == nil {
            for byte in string.utf8 { combine(byte) }
        }
        combine(string.utf8.count)
    }

    mutating func combineBytes(of string: String?) {
        guard let string else { return combine(-1) }
        combineBytes(of: string)
    }
}
