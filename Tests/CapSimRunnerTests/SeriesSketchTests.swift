@testable import CapSimStore
import CapSimSweep
import Foundation
import Testing

/// The per-year summaries' sketch against exact quantiles: exact while a series takes few values,
/// within its stated bound after, the same bytes whatever the order or split of the values.
@Suite struct SeriesSketchTests {
    /// A reproducible stream of numbers (SplitMix64).
    struct Stream {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
        mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }
    }

    static let probabilities = [0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0]

    static func sketch(_ values: [Double]) -> SeriesSketch {
        var s = SeriesSketch()
        for v in values { s.add(v) }
        return s
    }

    /// Checks every probability against the exact type-7 quantile within the documented bound:
    /// 2⁻⁸ of the larger of the two order statistics interpolated (plus 2⁻¹⁰³⁰ for subnormals).
    static func checkBound(_ values: [Double], _ label: String) {
        let sorted = values.map { $0 == 0 ? 0 : $0 }.sorted()
        let s = sketch(values)
        let estimates = s.quantiles(probabilities)
        for (p, q) in zip(probabilities, estimates) {
            let exact = EmpiricalQuantile.of(sorted: sorted, at: p)
            let k = Int(Double(sorted.count - 1) * p)
            let scale = max(abs(sorted[k]), abs(sorted[min(k + 1, sorted.count - 1)]))
            let bound = SeriesSketch.relativeErrorBound * scale + 0x1p-1030
            #expect(abs(q - exact) <= bound, "\(label): p \(p): sketch \(q), exact \(exact), bound \(bound)")
        }
        #expect(estimates.first == sorted.first && estimates.last == sorted.last, "\(label): the extremes are exact")
        #expect(s.count == values.count)
    }

    @Test func theBoundIsTwoToTheMinusEight() {
        #expect(SeriesSketch.relativeErrorBound == 1.0 / 256)
        // A bin's midpoint is within the bound of both of its edges, at several magnitudes.
        for x in [1.0, 1.5, 3.999, 1e-300, 7e300, 123_456.789] {
            let mid = SeriesSketch.midpoint(SeriesSketch.key(x))
            #expect(abs(mid - x) <= SeriesSketch.relativeErrorBound * x, "x \(x), midpoint \(mid)")
            #expect(SeriesSketch.key(mid) == SeriesSketch.key(x))
        }
    }

    @Test func fewDistinctValuesGiveExactQuantilesAndTies() {
        var r = Stream(state: 1)
        // 200 draws of 40 levels: ties everywhere, still exact (≤ 256 distinct values).
        let values = (0..<200).map { _ in Double(Int(r.uniform() * 40)) * 2.5 - 30 }
        let s = Self.sketch(values)
        #expect(s.isExact)
        let sorted = values.sorted()
        #expect(s.quantiles(Self.probabilities) == Self.probabilities.map { EmpiricalQuantile.of(sorted: sorted, at: $0) })
        #expect(abs(s.mean - values.reduce(0, +) / 200) <= 1e-12 * 30)
        // One value only; a constant series.
        #expect(Self.sketch([7, 7, 7]).quantiles([0.05, 0.5, 0.95]) == [7, 7, 7])
        #expect(Self.sketch([-0.0, 0.0]).quantiles([0.5]) == [0])
    }

    @Test func manyDistinctValuesStayWithinTheBound() {
        var r = Stream(state: 42)
        Self.checkBound((0..<5000).map { _ in r.uniform() * 1000 }, "uniform")
        Self.checkBound((0..<5000).map { _ in exp(40 * r.uniform() - 20) * (r.uniform() < 0.5 ? -1 : 1) }, "mixed signs, 17 decades")
        // Heavy ties: 3000 copies of one value among spread ones, so quantiles sit on the tie.
        Self.checkBound((0..<3000).map { _ in 12.5 } + (0..<2000).map { _ in r.uniform() * 25 }, "ties")
        Self.checkBound((0..<1000).map { _ in 0 } + (0..<1000).map { _ in r.uniform() - 0.5 }, "zeros")
        // Extremes: the largest doubles, subnormals, zeros of both signs, beside ordinary values.
        var extreme: [Double] = [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude,
                                 -.leastNonzeroMagnitude, .leastNormalMagnitude, 0, -0.0, 1e300, -1e300, 5e-320]
        extreme += (0..<600).map { _ in exp(1400 * r.uniform() - 700) * (r.uniform() < 0.3 ? -1 : 1) }
        Self.checkBound(extreme, "extremes")
        Self.checkBound((0..<257).map(Double.init), "one past the exact limit")
    }

    @Test func theSketchDoesNotDependOnOrderOrSplit() {
        var r = Stream(state: 7)
        let values = (0..<3000).map { _ in (r.uniform() * 100).rounded() + (r.uniform() < 0.1 ? r.uniform() * 1e6 : 0) }
        let whole = Self.sketch(values)
        var shuffled = values
        for i in shuffled.indices.reversed() { shuffled.swapAt(i, Int(r.next() % UInt64(i + 1))) }
        #expect(Self.sketch(shuffled) == whole)
        // Merged parts (shards), one part still exact and the other binned.
        var merged = Self.sketch(Array(values[0..<100]))
        #expect(merged.isExact)
        merged.merge(Self.sketch(Array(values[100...])))
        var a = ByteWriter(), b = ByteWriter()
        merged.encode(into: &a)
        whole.encode(into: &b)
        #expect(a.data == b.data)
        #expect(merged.quantiles(Self.probabilities) == whole.quantiles(Self.probabilities))
        #expect(merged.mean == whole.mean)
        // Two exact parts whose union is too many distinct values become the whole's histogram.
        var two = Self.sketch((0..<200).map(Double.init))
        two.merge(Self.sketch((200..<400).map(Double.init)))
        #expect(!two.isExact && two == Self.sketch((0..<400).map(Double.init)))
    }

    @Test func theSumIsExact() {
        var s = ExactSum()
        for x in [1e308, 1e308, 1, -1e308, -1e308, 1e-320, -1e-320] { s.add(x) }
        #expect(s.mean(count: 1) == 1)
        // Means of values whose sum overflows a double.
        var big = ExactSum()
        for _ in 0..<4 { big.add(.greatestFiniteMagnitude) }
        #expect(big.mean(count: 4) == .greatestFiniteMagnitude)
        // 0.1 ten times: the exact sum of the ten doubles, not the rounded running sum.
        var tenth = ExactSum()
        for _ in 0..<10 { tenth.add(0.1) }
        #expect(tenth.mean(count: 10) == 0.1)
        var negative = ExactSum()
        for x in [-3.0, 1.0, -0.5] { negative.add(x) }
        #expect(negative.mean(count: 1) == -2.5)
    }

    @Test func stateBytesRoundTripAndDamageIsCaught() throws {
        var acc = SummaryAccumulator(width: 3)
        var r = Stream(state: 3)
        try acc.add((0..<600).map { i in (i % 3 == 0 ? "a" : "b", [r.uniform(), Double(i % 5), -r.uniform() * 1e9]) })
        var back = SummaryAccumulator(width: 3)
        for policy in acc.policies { try back.decode(policy: policy, acc.encode(policy: policy)) }
        #expect(back == acc)
        var cut = acc.encode(policy: "a")
        cut.removeLast(3)
        #expect(throws: ByteReader.Malformed.self) { try back.decode(policy: "a", cut) }
        #expect(throws: BadSeries.self) { try acc.add([("a", [1, .nan, 2])]) }
        #expect(throws: BadSeries.self) { try acc.add([("a", [1, 2])]) }
    }
}
