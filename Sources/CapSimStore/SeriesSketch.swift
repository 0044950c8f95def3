import Foundation

/// The exact sum of finite doubles as a fixed-point integer (a "superaccumulator"): every double
/// is an integer multiple of 2⁻¹⁰⁷⁴, so the sum is kept as base-2³² digits of that multiple. The
/// result does not depend on the order of the additions, so per-year means are the same whatever
/// the batch size, thread count, shard split or kill-and-resume history.
struct ExactSum: Equatable, Sendable {
    /// Digits of Σx / 2⁻¹⁰⁷⁴, least significant first; each holds a partial sum of 32-bit pieces
    /// until `normalise` carries (an addition moves a limb by less than 2³²).
    private(set) var limbs = [Int64](repeating: 0, count: ExactSum.limbCount)
    /// Additions since the last carry; Int64 limbs hold 2³¹ of them safely.
    private var pending = 0

    /// 2046 bit positions of a double's 53-bit significand, plus two limbs of headroom for carries.
    static let limbCount = 66

    /// Adds a finite `x`.
    mutating func add(_ x: Double) {
        guard x != 0 else { return }
        let bits = x.bitPattern
        let exponent = Int((bits >> 52) & 0x7ff)
        var significand = bits & ((1 << 52) - 1)
        // x = significand × 2^(position − 1074).
        let position: Int
        if exponent > 0 { significand |= 1 << 52; position = exponent - 1 } else { position = 0 }
        let wide = UInt128(significand) << (position & 31)
        let i = position >> 5
        let a = Int64(truncatingIfNeeded: wide & 0xffff_ffff)
        let b = Int64(truncatingIfNeeded: (wide >> 32) & 0xffff_ffff)
        let c = Int64(truncatingIfNeeded: wide >> 64)
        if x < 0 {
            limbs[i] -= a; limbs[i + 1] -= b; limbs[i + 2] -= c
        } else {
            limbs[i] += a; limbs[i + 1] += b; limbs[i + 2] += c
        }
        pending += 1
        if pending >= 1 << 30 { normalise() }
    }

    /// Equal sums, however they were added up.
    static func == (a: ExactSum, b: ExactSum) -> Bool {
        var x = a, y = b
        x.normalise()
        y.normalise()
        return x.limbs == y.limbs
    }

    /// Adds another exact sum.
    mutating func add(_ other: ExactSum) {
        var o = other
        o.normalise()
        normalise()
        for i in limbs.indices { limbs[i] += o.limbs[i] }
        normalise()
    }

    /// Carries so that every limb but the last is in 0..<2³²: one representation per value, so
    /// equal sums serialise to equal bytes.
    mutating func normalise() {
        for i in 0..<(limbs.count - 1) {
            let carry = limbs[i] >> 32
            limbs[i] -= carry << 32
            limbs[i + 1] += carry
        }
        pending = 0
    }

    /// The sum divided by `n`, as a double: each digit divided by `n` and scaled, summed from the
    /// most significant down (deterministic; within a few units in the last place of the exact
    /// quotient, and without overflow when the sum itself exceeds the largest double).
    func mean(count n: Int) -> Double {
        var digits = self
        digits.normalise()
        var sign = 1.0
        if digits.limbs[digits.limbs.count - 1] < 0 {
            for i in digits.limbs.indices { digits.limbs[i] = -digits.limbs[i] }
            digits.normalise()
            sign = -1
        }
        var total = 0.0
        for i in digits.limbs.indices.reversed() where digits.limbs[i] != 0 {
            total += Double(sign: .plus, exponent: 32 * i - 1074, significand: Double(digits.limbs[i]) / Double(n))
        }
        return sign * total
    }

    /// Canonical bytes: the first nonzero limb's index, the number of limbs, then the limbs.
    func encode(into out: inout ByteWriter) {
        var n = self
        n.normalise()
        let first = n.limbs.firstIndex { $0 != 0 } ?? 0
        let last = n.limbs.lastIndex { $0 != 0 } ?? -1
        out.u32(UInt32(first))
        out.u32(UInt32(max(0, last - first + 1)))
        if last >= first { for i in first...last { out.i64(n.limbs[i]) } }
    }

    static func decode(_ r: inout ByteReader) throws(ByteReader.Malformed) -> ExactSum {
        var s = ExactSum()
        let first = Int(try r.u32()), count = Int(try r.u32())
        guard first + count <= limbCount else { throw ByteReader.Malformed() }
        for i in first..<(first + count) { s.limbs[i] = try r.i64() }
        return s
    }
}

/// The distribution of one series in one year over a policy's experiments, built one value at a
/// time in memory that does not grow with the number of values: exact while there are at most
/// `exactLimit` distinct values, a log-spaced histogram after.
///
/// The histogram's bins are the doubles sharing their sign, exponent and first `mantissaBits`
/// bits of significand: a bin spans a factor of at most 1 + 2⁻⁷, and its midpoint is within 2⁻⁸
/// (0.39 %) of every value in it (relative, for |x| ≥ 2⁻¹⁰²²; below, within 2⁻¹⁰³⁰ absolute).
/// Count, sum (exact), minimum and maximum are kept exactly. What the sketch holds is a function
/// of the multiset of values added, not of their order, so sketches merge (shards) and resume
/// (kills) to the same bytes.
struct SeriesSketch: Equatable, Sendable {
    /// Distinct values kept exactly before switching to the histogram.
    static let exactLimit = 256
    /// Significand bits in a histogram bin's key.
    static let mantissaBits = 7
    /// The quantiles' error bound relative to the order statistics they interpolate: 2⁻⁸.
    static let relativeErrorBound = 1.0 / Double(1 << (mantissaBits + 1))

    /// Values added.
    private(set) var count = 0
    private(set) var minimum = Double.infinity
    private(set) var maximum = -Double.infinity
    private(set) var sum = ExactSum()
    /// Exact mode: distinct values ascending (zero as +0) and how often each occurs.
    private var exactValues: [Double] = []
    private var exactCounts: [Int] = []
    /// Histogram mode (`binned`): zeros, and bins of positive and of negative values by |x|.
    private var binned = false
    private var zeros = 0
    private var positive = Bins(), negative = Bins()

    /// Whether the quantiles are exact (no more than `exactLimit` distinct values).
    var isExact: Bool { !binned }

    /// Adds a finite `x` (−0 counts as 0).
    mutating func add(_ value: Double) {
        let x = value == 0 ? 0 : value
        count += 1
        if x < minimum { minimum = x }
        if x > maximum { maximum = x }
        sum.add(x)
        if binned { bin(x, times: 1); return }
        // Most series take few values (a constant, a handful of levels): a short binary search.
        var lo = 0, hi = exactValues.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if exactValues[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        if lo < exactValues.count && exactValues[lo] == x {
            exactCounts[lo] += 1
        } else if exactValues.count < Self.exactLimit {
            exactValues.insert(x, at: lo)
            exactCounts.insert(1, at: lo)
        } else {
            switchToBins()
            bin(x, times: 1)
        }
    }

    /// Adds every value `other` holds.
    mutating func merge(_ other: SeriesSketch) {
        guard other.count > 0 else { return }
        count += other.count
        minimum = min(minimum, other.minimum)
        maximum = max(maximum, other.maximum)
        sum.add(other.sum)
        if !binned && !other.binned {
            var values: [Double] = [], counts: [Int] = []
            var i = 0, j = 0
            while i < exactValues.count || j < other.exactValues.count {
                if j == other.exactValues.count || (i < exactValues.count && exactValues[i] < other.exactValues[j]) {
                    values.append(exactValues[i]); counts.append(exactCounts[i]); i += 1
                } else if i == exactValues.count || other.exactValues[j] < exactValues[i] {
                    values.append(other.exactValues[j]); counts.append(other.exactCounts[j]); j += 1
                } else {
                    values.append(exactValues[i]); counts.append(exactCounts[i] + other.exactCounts[j]); i += 1; j += 1
                }
            }
            exactValues = values
            exactCounts = counts
            if values.count > Self.exactLimit { switchToBins() }
            return
        }
        switchToBins()
        if other.binned {
            zeros += other.zeros
            positive.add(other.positive)
            negative.add(other.negative)
        } else {
            for (v, c) in zip(other.exactValues, other.exactCounts) { bin(v, times: c) }
        }
    }

    private mutating func switchToBins() {
        guard !binned else { return }
        binned = true
        for (v, c) in zip(exactValues, exactCounts) { bin(v, times: c) }
        exactValues = []
        exactCounts = []
    }

    private mutating func bin(_ x: Double, times: Int) {
        if x == 0 { zeros += times } else if x > 0 { positive.add(Self.key(x), times) } else { negative.add(Self.key(x), times) }
    }

    /// The bin of |x|: its exponent and first `mantissaBits` significand bits.
    static func key(_ x: Double) -> Int { Int(x.magnitude.bitPattern >> UInt64(52 - mantissaBits)) }

    /// The midpoint of bin `key` (of magnitudes).
    static func midpoint(_ key: Int) -> Double {
        let low = Double(bitPattern: UInt64(key) << UInt64(52 - mantissaBits))
        // Half a bin is 2^(51 − mantissaBits) units in the last place of its lower edge.
        return low + low.ulp * Double(1 << (51 - mantissaBits))
    }

    /// The mean (exact sum, then divided by the count).
    var mean: Double { count == 0 ? .nan : sum.mean(count: count) }

    /// The `p`-quantiles (each in [0, 1]) by linear interpolation between order statistics,
    /// Hyndman–Fan type 7 as `EmpiricalQuantile` (exact in exact mode); in histogram mode each
    /// order statistic is its bin's midpoint clamped to [minimum, maximum], the smallest and
    /// largest being exact.
    func quantiles(_ ps: [Double]) -> [Double] {
        guard count > 0 else { return ps.map { _ in .nan } }
        // The order statistics needed, ascending, looked up in one walk.
        var ranks: [Int] = []
        for p in ps {
            let k = Int(Double(count - 1) * p)
            ranks.append(k)
            if k + 1 < count { ranks.append(k + 1) }
        }
        let wanted = Array(Set(ranks)).sorted()
        var found: [Int: Double] = [:]
        var next = 0
        var seen = 0
        func visit(_ value: Double, _ c: Int) {
            seen += c
            while next < wanted.count && wanted[next] < seen {
                let k = wanted[next]
                found[k] = k == 0 ? minimum : k == count - 1 ? maximum : Swift.min(maximum, Swift.max(minimum, value))
                next += 1
            }
        }
        if binned {
            for (key, c) in negative.descending() { visit(-Self.midpoint(key), c) }
            if zeros > 0 { visit(0, zeros) }
            for (key, c) in positive.ascending() { visit(Self.midpoint(key), c) }
        } else {
            for (v, c) in zip(exactValues, exactCounts) { visit(v, c) }
        }
        return ps.map { p in
            let h = Double(count - 1) * p
            let k = Int(h)
            let x = found[k] ?? .nan
            if k + 1 >= count { return x }
            let y = found[k + 1] ?? .nan
            return x + (h - Double(k)) * (y - x)
        }
    }

    // MARK: bytes

    func encode(into out: inout ByteWriter) {
        out.i64(Int64(count))
        out.f64(minimum)
        out.f64(maximum)
        sum.encode(into: &out)
        out.u8(binned ? 1 : 0)
        if binned {
            out.i64(Int64(zeros))
            positive.encode(into: &out)
            negative.encode(into: &out)
        } else {
            out.u32(UInt32(exactValues.count))
            for v in exactValues { out.f64(v) }
            for c in exactCounts { out.i64(Int64(c)) }
        }
    }

    static func decode(_ r: inout ByteReader) throws(ByteReader.Malformed) -> SeriesSketch {
        var s = SeriesSketch()
        s.count = Int(try r.i64())
        s.minimum = try r.f64()
        s.maximum = try r.f64()
        s.sum = try ExactSum.decode(&r)
        switch try r.u8() {
        case 0:
            let k = Int(try r.u32())
            guard k <= exactLimit else { throw ByteReader.Malformed() }
            s.exactValues = try (0..<k).map { _ throws(ByteReader.Malformed) in try r.f64() }
            s.exactCounts = try (0..<k).map { _ throws(ByteReader.Malformed) in Int(try r.i64()) }
            guard s.exactCounts.reduce(0, +) == s.count else { throw ByteReader.Malformed() }
        case 1:
            s.binned = true
            s.zeros = Int(try r.i64())
            s.positive = try Bins.decode(&r)
            s.negative = try Bins.decode(&r)
            guard s.zeros + s.positive.total + s.negative.total == s.count else { throw ByteReader.Malformed() }
        default:
            throw ByteReader.Malformed()
        }
        return s
    }
}

/// Counts over a contiguous range of bin keys, grown as values arrive.
struct Bins: Equatable, Sendable {
    private var first = 0
    private var counts: [Int64] = []

    var total: Int { Int(counts.reduce(0, +)) }

    mutating func add(_ key: Int, _ times: Int) {
        if counts.isEmpty {
            first = key
            counts = [Int64(times)]
            return
        }
        if key < first {
            // Room on the low side too, so a slowly falling minimum does not copy every time.
            let grow = max(first - key, counts.count / 2, 16)
            counts.insert(contentsOf: repeatElement(0, count: grow), at: 0)
            first -= grow
        } else if key >= first + counts.count {
            counts.append(contentsOf: repeatElement(0, count: max(key - first - counts.count + 1, counts.count / 2, 16)))
        }
        counts[key - first] += Int64(times)
    }

    mutating func add(_ other: Bins) {
        for (key, c) in other.ascending() { add(key, c) }
    }

    /// Nonzero bins, lowest key first.
    func ascending() -> [(Int, Int)] {
        counts.indices.compactMap { counts[$0] == 0 ? nil : (first + $0, Int(counts[$0])) }
    }

    func descending() -> [(Int, Int)] { ascending().reversed() }

    /// Only the span from the first to the last nonzero bin: equal contents, equal bytes.
    func encode(into out: inout ByteWriter) {
        let lo = counts.firstIndex { $0 != 0 }, hi = counts.lastIndex { $0 != 0 }
        guard let lo, let hi else { out.i64(0); out.u32(0); return }
        out.i64(Int64(first + lo))
        out.u32(UInt32(hi - lo + 1))
        for i in lo...hi { out.i64(counts[i]) }
    }

    static func decode(_ r: inout ByteReader) throws(ByteReader.Malformed) -> Bins {
        var b = Bins()
        let first = Int(try r.i64()), n = Int(try r.u32())
        guard n <= 1 << 20 else { throw ByteReader.Malformed() }
        if n > 0 {
            b.first = first
            b.counts = try (0..<n).map { _ throws(ByteReader.Malformed) in try r.i64() }
        }
        return b
    }

    static func == (a: Bins, b: Bins) -> Bool { a.ascending().elementsEqual(b.ascending()) { $0 == $1 } }
}

/// Little-endian bytes.
struct ByteWriter {
    var data = Data()
    mutating func u8(_ v: UInt8) { data.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func f64(_ v: Double) { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
}

/// Reads what `ByteWriter` wrote; throws at the end of the data.
struct ByteReader {
    struct Malformed: Error {}
    let data: Data
    var offset = 0
    init(_ data: Data) { self.data = data }
    var atEnd: Bool { offset == data.count }

    private mutating func take(_ n: Int) throws(Malformed) -> UInt64 {
        guard offset + n <= data.count else { throw Malformed() }
        var v: UInt64 = 0
        data.withUnsafeBytes { raw in
            for i in 0..<n { v |= UInt64(raw[offset + i]) << (8 * UInt64(i)) }
        }
        offset += n
        return v
    }
    mutating func u8() throws(Malformed) -> UInt8 { UInt8(try take(1)) }
    mutating func u32() throws(Malformed) -> UInt32 { UInt32(try take(4)) }
    mutating func i64() throws(Malformed) -> Int64 { Int64(bitPattern: try take(8)) }
    mutating func f64() throws(Malformed) -> Double { Double(bitPattern: try take(8)) }
}

/// Cells of one policy that concurrent parts fill, each part its own range.
private struct DisjointCells: @unchecked Sendable {
    let base: UnsafeMutableBufferPointer<SeriesSketch>
}

/// Series values the summaries cannot take.
struct BadSeries: Error { var message: String }

/// One sketch per cell (a series in a year: `column × years + yearIndex`) for each policy.
struct SummaryAccumulator: Sendable, Equatable {
    /// Cells per experiment.
    let width: Int
    /// Policies in the order they were first seen, with their sketches.
    private(set) var policies: [String] = []
    private(set) var sketches: [String: [SeriesSketch]] = [:]

    init(width: Int) { self.width = width }

    /// Adds experiments' series (each `width` values) under their policies; the cells are split
    /// over the machine's cores, every cell's values still added in the order given.
    mutating func add(_ items: [(policy: String, series: [Double])]) throws(BadSeries) {
        for item in items {
            guard item.series.count == width else { throw BadSeries(message: "\(item.series.count) series values, not \(width)") }
            if let bad = item.series.first(where: { !$0.isFinite }) {
                throw BadSeries(message: "a series value is \(bad), not a finite number")
            }
        }
        var byPolicy: [String: [[Double]]] = [:]
        for item in items {
            if sketches[item.policy] == nil {
                policies.append(item.policy)
                sketches[item.policy] = [SeriesSketch](repeating: SeriesSketch(), count: width)
            }
            byPolicy[item.policy, default: []].append(item.series)
        }
        for (policy, rows) in byPolicy {
            var cells = sketches[policy] ?? []
            sketches[policy] = nil  // uniquely referenced while it is filled in place
            let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, width * rows.count / 50_000, width))
            let cellCount = width
            cells.withUnsafeMutableBufferPointer { buffer in
                // Each part owns a disjoint range of cells.
                let slots = DisjointCells(base: buffer)
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let lower = part * cellCount / parts, upper = (part + 1) * cellCount / parts
                    for row in rows {
                        row.withUnsafeBufferPointer { values in
                            for cell in lower..<upper { slots.base[cell].add(values[cell]) }
                        }
                    }
                }
            }
            sketches[policy] = cells
        }
    }

    /// Adds everything `other` holds (another shard's accumulator).
    mutating func merge(_ other: SummaryAccumulator) {
        for policy in other.policies {
            guard let theirs = other.sketches[policy] else { continue }
            if var mine = sketches[policy] {
                for i in mine.indices { mine[i].merge(theirs[i]) }
                sketches[policy] = mine
            } else {
                policies.append(policy)
                sketches[policy] = theirs
            }
        }
    }

    /// The bytes of one policy's sketches.
    func encode(policy: String) -> Data {
        var out = ByteWriter()
        out.u32(0x3153_5343)  // "CSS1"
        out.u32(UInt32(width))
        for s in sketches[policy] ?? [] { s.encode(into: &out) }
        return out.data
    }

    /// Adds one policy's sketches from their bytes.
    mutating func decode(policy: String, _ data: Data) throws(ByteReader.Malformed) {
        var r = ByteReader(data)
        guard try r.u32() == 0x3153_5343, Int(try r.u32()) == width else { throw ByteReader.Malformed() }
        var cells: [SeriesSketch] = []
        cells.reserveCapacity(width)
        for _ in 0..<width { cells.append(try SeriesSketch.decode(&r)) }
        guard r.atEnd else { throw ByteReader.Malformed() }
        if sketches[policy] == nil { policies.append(policy) }
        sketches[policy] = cells
    }
}

extension SummaryAccumulator {
    /// The experiments of `policy` the state holds.
    func experiments(policy: String) -> Int { sketches[policy]?.first?.count ?? 0 }
}
