/// A fixed-size array of plain values allocated once per batch and freed with it.
///
/// The year step reads and writes through `base` directly: no copy-on-write check, no bounds
/// check and no exclusivity check per element (the pointer is a `let`). Only trivial element types
/// (numbers, flags) are stored, so nothing needs deinitialising.
final class Buffer<Element: BitwiseCopyable> {
    let count: Int
    let base: UnsafeMutablePointer<Element>

    init(repeating value: Element, count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: value, count: count)
    }

    init(_ values: [Element]) {
        count = values.count
        base = .allocate(capacity: max(values.count, 1))
        values.withUnsafeBufferPointer { if let p = $0.baseAddress { base.initialize(from: p, count: values.count) } }
    }

    deinit { base.deallocate() }

    @inline(__always)
    subscript(i: Int) -> Element {
        get { base[i] }
        set { base[i] = newValue }
    }

    /// Sets every element to `value`.
    func fill(_ value: Element) { base.update(repeating: value, count: count) }

    /// The elements as an array (for results, not for the year step).
    var array: [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
