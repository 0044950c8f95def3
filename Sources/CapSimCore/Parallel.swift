import Dispatch

/// Work split over threads in contiguous parts, results kept in order, so a result never depends
/// on how many threads computed it.
public enum Parallel {
    /// `0..<count` split into `parts` contiguous ranges whose sizes differ by at most one;
    /// `max(1, min(parts, count))` ranges, so none is empty unless `count` is 0.
    public static func ranges(_ count: Int, parts: Int) -> [Range<Int>] {
        let n = max(1, min(parts, count))
        return (0..<n).map { (count * $0 / n)..<(count * ($0 + 1) / n) }
    }

    /// `body(i)` for every `i` in `0..<count`, each call on a worker thread
    /// (`DispatchQueue.concurrentPerform`), returned in index order.
    ///
    /// Race-free by construction: the result array's storage is allocated once, uninitialised,
    /// before any worker starts; iteration `i` initialises element `i` and nothing else, through a
    /// raw pointer (no array, no reference count, no copy-on-write check is touched by a worker);
    /// the array takes ownership only after `concurrentPerform` has returned, which orders every
    /// write before the caller's first read.
    public static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        precondition(count >= 0, "negative count")
        if count == 0 { return [] }
        if count == 1 { return [body(0)] }
        return Array(unsafeUninitializedCapacity: count) { buffer, initializedCount in
            let slots = DisjointSlots(buffer)
            DispatchQueue.concurrentPerform(iterations: count) { i in slots.initialize(i, to: body(i)) }
            initializedCount = count
        }
    }
}

/// Uninitialised result slots that worker threads fill, each iteration its own slot, so no two
/// threads ever touch the same memory. Lives only inside `Parallel.map`'s scope, never stored.
private struct DisjointSlots<T>: @unchecked Sendable {
    private let base: UnsafeMutablePointer<T>
    private let count: Int

    init(_ buffer: UnsafeMutableBufferPointer<T>) {
        guard let base = buffer.baseAddress else { preconditionFailure("no storage for the results") }
        self.base = base
        count = buffer.count
    }

    /// Initialises slot `i`; called exactly once per slot.
    func initialize(_ i: Int, to value: consuming T) {
        precondition(i >= 0 && i < count, "slot \(i) outside 0..<\(count)")
        (base + i).initialize(to: value)
    }
}
