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

/// An append-only log of plain records (closures, openings, shortfalls) whose storage grows by
/// doubling from a capacity reserved once per batch.
///
/// Count, capacity and storage sit behind `let` pointers, so an append from the year step is a
/// compare, a store and an increment: no exclusivity, uniqueness or bounds check.
final class RecordLog<Record: BitwiseCopyable> {
    /// `[0]` count, `[1]` capacity.
    private let header: UnsafeMutablePointer<Int>
    private let storage: UnsafeMutablePointer<UnsafeMutablePointer<Record>>

    init(reserving capacity: Int) {
        header = .allocate(capacity: 2)
        header[0] = 0
        header[1] = max(capacity, 16)
        storage = .allocate(capacity: 1)
        storage.initialize(to: .allocate(capacity: header[1]))
    }

    deinit {
        storage.pointee.deallocate()
        storage.deallocate()
        header.deallocate()
    }

    var count: Int { header[0] }

    /// The records, valid until the next append.
    var records: UnsafeMutableBufferPointer<Record> { UnsafeMutableBufferPointer(start: storage.pointee, count: header[0]) }

    @inline(__always)
    subscript(i: Int) -> Record { storage.pointee[i] }

    @inline(__always)
    func append(_ record: Record) {
        if header[0] == header[1] { grow() }
        storage.pointee[header[0]] = record
        header[0] += 1
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<Record>.allocate(capacity: 2 * header[1])
        bigger.initialize(from: storage.pointee, count: header[0])
        storage.pointee.deallocate()
        storage.pointee = bigger
        header[1] *= 2
    }

    func removeAll() { header[0] = 0 }

    /// Makes room for `n` records without appending.
    func reserve(_ n: Int) { while header[1] < n { grow() } }

    /// Reorders every record by scenario (see below).
    func sortByScenario(scenarioCount S: Int, scratch: RecordLog<Record>, starts: Buffer<Int>,
                        scenario: (Record) -> Int32) {
        sortByScenario(from: 0, scenarioCount: S, scratch: scratch, starts: starts, scenario: scenario)
    }

    /// Reorders the records from `from` on by scenario, keeping the order within a scenario (a
    /// counting sort through `scratch`). Afterwards scenario `s`'s records are
    /// `from + starts[s] ..< from + starts[s + 1]`; `starts` must hold scenarioCount + 1 elements.
    func sortByScenario(from: Int, scenarioCount S: Int, scratch: RecordLog<Record>, starts: Buffer<Int>,
                        scenario: (Record) -> Int32) {
        let n = count - from
        starts.fill(0)
        let records = storage.pointee + from
        for k in 0..<n { starts[Int(scenario(records[k])) + 1] += 1 }
        for s in 0..<S { starts[s + 1] += starts[s] }
        scratch.reserve(n)
        let out = scratch.storage.pointee
        for k in 0..<n {
            let s = Int(scenario(records[k]))
            out[starts[s]] = records[k]
            starts[s] += 1
        }
        // `starts[s]` now holds the end of scenario s: shift back to starts.
        for s in stride(from: S, to: 0, by: -1) { starts[s] = starts[s - 1] }
        starts[0] = 0
        records.update(from: out, count: n)
    }
}
