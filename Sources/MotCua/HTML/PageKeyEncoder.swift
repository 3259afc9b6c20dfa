/// Encodes a page's view model into bytes that identify it exactly, the key of `PageCache`.
///
/// The page is a pure function of its template and of what its model's `Encodable` conformance gives
/// (`TemplateContext.make` builds the template's tree from that same conformance), so two models with the
/// same bytes render the same page. Every value is written with the depth of its container and, in a keyed
/// container, its key: a pre-order walk with depths identifies the tree, so a value cannot pass for one of
/// its neighbour's (an absent optional leaves its key out, as in the template's tree). Strings are written
/// as their UTF-8 bytes with their length: two spellings of one Vietnamese name (NFC, NFD) are two keys,
/// as the page shows their bytes (see `ByteKey`).
///
/// A `RenderedFragment` (HTML made elsewhere, a list's rows) is not part of the key: its text is set aside
/// in `fragments`, in the order met, and the key records only that a fragment stood there; the page is
/// kept with a hole in its place (`PageCache`).
enum PageKeyEncoder {
    /// The key bytes and the fragments' HTML, in encoding order.
    static func encode(_ model: some Encodable) -> (key: [UInt8], fragments: [String]) {
        let sink = KeySink()
        sink.value(model, depth: 0)
        return (sink.bytes, sink.fragments)
    }
}

/// The bytes written so far, shared by the encoder and its containers.
private final class KeySink {
    var bytes: [UInt8] = []
    var fragments: [String] = []

    init() { bytes.reserveCapacity(1_024) }

    enum Tag: UInt8 {
        case key = 1, string, integer, unsigned, bool, double, null, fragment, keyed, unkeyed, element
    }

    func tag(_ tag: Tag, depth: Int) {
        bytes.append(tag.rawValue)
        length(depth)
    }

    /// A non-negative count, 7 bits a byte.
    func length(_ value: Int) {
        var value = UInt(value)
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    func key(_ name: String, depth: Int) {
        tag(.key, depth: depth)
        text(name)
    }

    func text(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            length(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }

    func string(_ value: String, depth: Int) {
        tag(.string, depth: depth)
        text(value)
    }

    func integer(_ value: Int64, depth: Int) {
        tag(.integer, depth: depth)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func unsigned(_ value: UInt64, depth: Int) {
        tag(.unsigned, depth: depth)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    func bool(_ value: Bool, depth: Int) {
        tag(.bool, depth: depth)
        bytes.append(value ? 1 : 0)
    }

    func double(_ value: Double, depth: Int) {
        tag(.double, depth: depth)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A value of a generic `encode`: the common leaves directly, a fragment set aside, anything else through
    /// its own `encode(to:)` one level deeper.
    func value(_ value: some Encodable, depth: Int) {
        switch value {
        case let text as String: string(text, depth: depth)
        case let flag as Bool: bool(flag, depth: depth)
        case let number as Int: integer(Int64(number), depth: depth)
        case let number as Int64: integer(number, depth: depth)
        case let fragment as RenderedFragment:
            tag(.fragment, depth: depth)
            fragments.append(fragment.html)
        default:
            try? value.encode(to: KeyEncoder(sink: self, depth: depth))
        }
    }
}

private struct KeyEncoder: Encoder {
    let sink: KeySink
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        sink.tag(.keyed, depth: depth)
        return KeyedEncodingContainer(KeyedKey(sink: sink, depth: depth + 1))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        sink.tag(.unkeyed, depth: depth)
        return UnkeyedKey(sink: sink, depth: depth + 1)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleKey(sink: sink, depth: depth) }
}

private struct KeyedKey<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let sink: KeySink
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    /// The key, then its value one level deeper.
    private func at(_ key: Key) -> Int {
        sink.key(key.stringValue, depth: depth)
        return depth + 1
    }

    mutating func encodeNil(forKey key: Key) { sink.tag(.null, depth: at(key)) }
    mutating func encode(_ value: Bool, forKey key: Key) { sink.bool(value, depth: at(key)) }
    mutating func encode(_ value: String, forKey key: Key) { sink.string(value, depth: at(key)) }
    mutating func encode(_ value: Double, forKey key: Key) { sink.double(value, depth: at(key)) }
    mutating func encode(_ value: Float, forKey key: Key) { sink.double(Double(value), depth: at(key)) }
    mutating func encode(_ value: Int, forKey key: Key) { sink.integer(Int64(value), depth: at(key)) }
    mutating func encode(_ value: Int8, forKey key: Key) { sink.integer(Int64(value), depth: at(key)) }
    mutating func encode(_ value: Int16, forKey key: Key) { sink.integer(Int64(value), depth: at(key)) }
    mutating func encode(_ value: Int32, forKey key: Key) { sink.integer(Int64(value), depth: at(key)) }
    mutating func encode(_ value: Int64, forKey key: Key) { sink.integer(value, depth: at(key)) }
    mutating func encode(_ value: UInt, forKey key: Key) { sink.unsigned(UInt64(value), depth: at(key)) }
    mutating func encode(_ value: UInt8, forKey key: Key) { sink.unsigned(UInt64(value), depth: at(key)) }
    mutating func encode(_ value: UInt16, forKey key: Key) { sink.unsigned(UInt64(value), depth: at(key)) }
    mutating func encode(_ value: UInt32, forKey key: Key) { sink.unsigned(UInt64(value), depth: at(key)) }
    mutating func encode(_ value: UInt64, forKey key: Key) { sink.unsigned(value, depth: at(key)) }
    mutating func encode(_ value: some Encodable, forKey key: Key) { sink.value(value, depth: at(key)) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        KeyEncoder(sink: sink, depth: at(key)).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        KeyEncoder(sink: sink, depth: at(key)).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        sink.key("super", depth: depth)
        return KeyEncoder(sink: sink, depth: depth + 1)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder { KeyEncoder(sink: sink, depth: at(key)) }
}

private struct UnkeyedKey: UnkeyedEncodingContainer {
    let sink: KeySink
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    private(set) var count = 0

    init(sink: KeySink, depth: Int) {
        self.sink = sink
        self.depth = depth
    }

    /// Each element is marked, then written one level deeper.
    private mutating func next() -> Int {
        count += 1
        sink.tag(.element, depth: depth)
        return depth + 1
    }

    mutating func encodeNil() { sink.tag(.null, depth: next()) }
    mutating func encode(_ value: Bool) { sink.bool(value, depth: next()) }
    mutating func encode(_ value: String) { sink.string(value, depth: next()) }
    mutating func encode(_ value: Double) { sink.double(value, depth: next()) }
    mutating func encode(_ value: Float) { sink.double(Double(value), depth: next()) }
    mutating func encode(_ value: Int) { sink.integer(Int64(value), depth: next()) }
    mutating func encode(_ value: Int64) { sink.integer(value, depth: next()) }
    mutating func encode(_ value: some Encodable) { sink.value(value, depth: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyEncoder(sink: sink, depth: next()).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        KeyEncoder(sink: sink, depth: next()).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { KeyEncoder(sink: sink, depth: next()) }
}

private struct SingleKey: SingleValueEncodingContainer {
    let sink: KeySink
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() { sink.tag(.null, depth: depth) }
    mutating func encode(_ value: Bool) { sink.bool(value, depth: depth) }
    mutating func encode(_ value: String) { sink.string(value, depth: depth) }
    mutating func encode(_ value: Double) { sink.double(value, depth: depth) }
    mutating func encode(_ value: Float) { sink.double(Double(value), depth: depth) }
    mutating func encode(_ value: Int) { sink.integer(Int64(value), depth: depth) }
    mutating func encode(_ value: Int8) { sink.integer(Int64(value), depth: depth) }
    mutating func encode(_ value: Int16) { sink.integer(Int64(value), depth: depth) }
    mutating func encode(_ value: Int32) { sink.integer(Int64(value), depth: depth) }
    mutating func encode(_ value: Int64) { sink.integer(value, depth: depth) }
    mutating func encode(_ value: UInt) { sink.unsigned(UInt64(value), depth: depth) }
    mutating func encode(_ value: UInt8) { sink.unsigned(UInt64(value), depth: depth) }
    mutating func encode(_ value: UInt16) { sink.unsigned(UInt64(value), depth: depth) }
    mutating func encode(_ value: UInt32) { sink.unsigned(UInt64(value), depth: depth) }
    mutating func encode(_ value: UInt64) { sink.unsigned(value, depth: depth) }
    mutating func encode(_ value: some Encodable) { sink.value(value, depth: depth) }
}
