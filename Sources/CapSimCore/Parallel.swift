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
    public static func map<T>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        if count == 1 { return [body(0)] }
        let slots = Slots<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { i in slots.items[i] = body(i) }
        return slots.items.map { $0! }
    }
}

/// Slots that worker threads fill, each thread its own index: writes never overlap.
private final class Slots<T>: @unchecked Sendable {
    var items: [T?]
    init(_ count: Int) { items = Array(repeating: nil, count: count) }
}
