import Foundation

/// An `Encoder` whose output is the template tree of `TemplateContext`: a keyed container becomes a
/// `TemplateNode`, an unkeyed one a `TemplateList`, a string or number a `TemplateText`, a Bool a
/// `TemplateFlag`; nil leaves the key out. It never throws: every value a view model holds has a place in
/// the tree.
extension TemplateContext {
    static func make(_ model: some Encodable) -> Any {
        make(model, holes: nil)
    }

    /// The tree with each `RenderedFragment` replaced by its hole's marker (see `PageCache`).
    static func make(_ model: some Encodable, holes: FragmentHoles?) -> Any {
        let slot = Slot(holes: holes)
        slot.set(model)
        return slot.finished() ?? TemplateNode(values: [:])
    }
}

/// What one encoder (or nested container) has been given so far; finished into the tree at the end.
private final class Slot {
    enum Content {
        case empty
        case leaf(Any)
        case node([String: Slot])
        case list([Slot])
    }
    var content = Content.empty
    /// Where fragments leave a marker instead of their HTML; nil: fragments are placed as they are.
    let holes: FragmentHoles?

    init(holes: FragmentHoles?) { self.holes = holes }

    func finished() -> Any? {
        switch content {
        case .empty: nil
        case .leaf(let value): value
        case .node(let children): TemplateNode(values: children.compactMapValues { $0.finished() })
        case .list(let items): TemplateList(items: items.compactMap { $0.finished() })
        }
    }

    /// The slot for `key` of this node (made a node on first use).
    func child(_ key: String) -> Slot {
        let slot = Slot(holes: holes)
        if case .node(var children) = content {
            content = .empty  // keeps the dictionary uniquely referenced while it changes
            children[key] = slot
            content = .node(children)
        } else {
            content = .node([key: slot])
        }
        return slot
    }

    func makeNode() { if case .node = content {} else { content = .node([:]) } }

    /// A new slot at the end of this list (made a list on first use).
    func append() -> Slot {
        let slot = Slot(holes: holes)
        if case .list(var items) = content {
            content = .empty
            items.append(slot)
            content = .list(items)
        } else {
            content = .list([slot])
        }
        return slot
    }

    func makeList() { if case .list = content {} else { content = .list([]) } }

    var count: Int {
        if case .list(let items) = content { return items.count }
        return 0
    }

    /// A value of a generic `encode`: the leaves directly (an array's elements come this way), anything else
    /// through its own `encode(to:)`.
    func set(_ value: some Encodable) {
        if let holes, let fragment = value as? RenderedFragment { return setText(holes.marker(for: fragment)) }
        switch value {
        case let text as String: setText(text)
        case let flag as Bool: setFlag(flag)
        case let number as Int: setText(number)
        case let number as Int64: setText(number)
        default:
            let encoder = TreeEncoder(slot: self)
            try? value.encode(to: encoder)
        }
    }

    func setText(_ text: String) { content = .leaf(TemplateText(text: text)) }
    func setText(_ value: some LosslessStringConvertible) { content = .leaf(TemplateText(text: String(describing: value))) }
    func setFlag(_ value: Bool) { content = .leaf(TemplateFlag(value: value)) }
}

private struct TreeEncoder: Encoder {
    let slot: Slot
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(slot: Slot) { self.slot = slot }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.makeNode()
        return KeyedEncodingContainer(KeyedTree(slot: slot))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.makeList()
        return UnkeyedTree(slot: slot)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleTree(slot: slot) }
}

private struct KeyedTree<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: Slot
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) {}
    mutating func encode(_ value: Bool, forKey key: Key) { slot.child(key.stringValue).setFlag(value) }
    mutating func encode(_ value: String, forKey key: Key) { slot.child(key.stringValue).setText(value) }
    mutating func encode(_ value: Double, forKey key: Key) { slot.child(key.stringValue).setText(value) }
    mutating func encode(_ value: Float, forKey key: Key) { slot.child(key.stringValue).setText(value) }
    mutating func encode(_ value: Int, forKey key: Key) { slot.child(key.stringValue).setText(value) }
    mutating func encode(_ value: Int8, forKey key: Key) { slot.child(key.stringValue).setText(value) }
    mutating func encode(_ value: Int16, forKey key: Key) { slot.child(key.stringValue).setText(value) }
    mutating func encode(_ value: Int32, forKey key: Key) { slot.child(key.stringValue).setText(value) }
    mutating func encode(_ value: Int64, forKey key: Key) { slot.child(key.stringValue).setText(value) }
    mutating func encode(_ value: UInt, forKey key: Key) { slot.child(key.stringValue).setText(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) { slot.child(key.stringValue).setText(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) { slot.child(key.stringValue).setText(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) { slot.child(key.stringValue).setText(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) { slot.child(key.stringValue).setText(value) }
    mutating func encode(_ value: some Encodable, forKey key: Key) { slot.child(key.stringValue).set(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let child = slot.child(key.stringValue)
        child.makeNode()
        return KeyedEncodingContainer(KeyedTree<NestedKey>(slot: child))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = slot.child(key.stringValue)
        child.makeList()
        return UnkeyedTree(slot: child)
    }

    mutating func superEncoder() -> any Encoder { TreeEncoder(slot: slot.child("super")) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { TreeEncoder(slot: slot.child(key.stringValue)) }
}

private struct UnkeyedTree: UnkeyedEncodingContainer {
    let slot: Slot
    var codingPath: [any CodingKey] { [] }
    var count: Int { slot.count }

    mutating func encodeNil() { _ = slot.append() }
    mutating func encode(_ value: Bool) { slot.append().setFlag(value) }
    mutating func encode(_ value: String) { slot.append().setText(value) }
    mutating func encode(_ value: Double) { slot.append().setText(value) }
    mutating func encode(_ value: Float) { slot.append().setText(value) }
    mutating func encode(_ value: Int) { slot.append().setText(value) }
    mutating func encode(_ value: Int64) { slot.append().setText(value) }
    mutating func encode(_ value: some Encodable) { slot.append().set(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = slot.append()
        child.makeNode()
        return KeyedEncodingContainer(KeyedTree<NestedKey>(slot: child))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = slot.append()
        child.makeList()
        return UnkeyedTree(slot: child)
    }

    mutating func superEncoder() -> any Encoder { TreeEncoder(slot: slot.append()) }
}

private struct SingleTree: SingleValueEncodingContainer {
    let slot: Slot
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() { slot.content = .empty }
    mutating func encode(_ value: Bool) { slot.setFlag(value) }
    mutating func encode(_ value: String) { slot.setText(value) }
    mutating func encode(_ value: Double) { slot.setText(value) }
    mutating func encode(_ value: Float) { slot.setText(value) }
    mutating func encode(_ value: Int) { slot.setText(value) }
    mutating func encode(_ value: Int8) { slot.setText(value) }
    mutating func encode(_ value: Int16) { slot.setText(value) }
    mutating func encode(_ value: Int32) { slot.setText(value) }
    mutating func encode(_ value: Int64) { slot.setText(value) }
    mutating func encode(_ value: UInt) { slot.setText(value) }
    mutating func encode(_ value: UInt8) { slot.setText(value) }
    mutating func encode(_ value: UInt16) { slot.setText(value) }
    mutating func encode(_ value: UInt32) { slot.setText(value) }
    mutating func encode(_ value: UInt64) { slot.setText(value) }
    mutating func encode(_ value: some Encodable) { slot.set(value) }
}
