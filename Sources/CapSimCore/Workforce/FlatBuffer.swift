/// A fixed-size buffer allocated once and freed with its owner: the workforce step's state and
/// scratch live in these, so the year step neither allocates nor checks bounds in release builds.
final class FlatBuffer<Element> {
    let base: UnsafeMutablePointer<Element>
    let count: Int

    init(repeating value: Element, count: Int) {
        self.count = count
        base = .allocate(capacity: max(1, count))
        base.initialize(repeating: value, count: count)
    }

    init(_ elements: [Element]) {
        count = elements.count
        base = .allocate(capacity: max(1, count))
        elements.withUnsafeBufferPointer { base.initialize(from: $0.baseAddress!, count: count) }
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// A copy as an array.
    var array: [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }

    @inline(__always) subscript(i: Int) -> Element {
        get { assert(i >= 0 && i < count); return base[i] }
        set { assert(i >= 0 && i < count); base[i] = newValue }
    }
}
