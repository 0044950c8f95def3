import Testing

@testable import CapSimIO

/// The generator's weighted draws: a Fenwick tree picks the index a sequential scan would, and
/// never one of weight 0, also after weights change.
@Suite struct WeightTreeTests {
    /// The first index whose running sum exceeds `unit × total`, by a plain scan.
    func scan(_ weights: [Double], _ unit: Double) -> Int {
        var u = unit * weights.reduce(0, +)
        for (i, w) in weights.enumerated() where w > 0 {
            if u < w { return i }
            u -= w
        }
        return weights.lastIndex { $0 > 0 } ?? 0
    }

    @Test func picksAsASequentialScanDoes() {
        var weights = (0..<257).map { i in i % 3 == 0 ? 0 : Double((i * 37) % 101) }
        var tree = WeightTree(weights)
        #expect(tree.positives == weights.filter { $0 > 0 }.count)
        for step in 0..<2_000 {
            let unit = Double((step * 7919) % 10_000) / 10_000 + 0.00003
            #expect(tree.pick(unit) == scan(weights, unit), "unit \(unit)")
            if step % 50 == 0 {
                let i = (step * 31) % weights.count
                weights[i] = step % 100 == 0 ? 0 : Double(step % 13)
                tree.set(i, weights[i])
                #expect(tree.positives == weights.filter { $0 > 0 }.count)
            }
        }
    }

    @Test func neverPicksAZeroWeight() {
        let tree = WeightTree([0, 0, 5, 0, 0])
        for unit in [0, 0.3, 0.999999] { #expect(tree.pick(unit) == 2) }
    }

    @Test func theGeneratorRefusesMoreUnitsThanAScenarioHolds() throws {
        var spec = GeneratorSpec.national(seed: 1)
        spec.counts = GeneratorSpec.mix(total: 200_001)
        #expect(spec.problems().contains { $0.hasPrefix("at most 200000 facilities") })
    }
}
