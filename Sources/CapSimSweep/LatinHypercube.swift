import CapSimCore
import LinearAlgebra

/// A Latin hypercube: `count` points with exactly one point in each of the `count` equal strata
/// of every dimension (McKay, Beckman and Conover 1979).
///
/// Coordinate `j` of point `i` is `(π_j(i) + U_ij) / n`, where `π_j` is a uniform random
/// permutation of `0..<n` (Fisher–Yates, from `stream(seed ^ permutationSalt, j)`) and `U_ij ∈ (0,1)`
/// is a jitter (from `stream(seed, i)`). The permutations depend on `n`, so unlike `MonteCarlo`,
/// point `i` changes with `count`; for a fixed `count` it does not depend on batching.
///
/// With a target correlation, the permutations are rearranged by Iman and Conover's (1982) rank
/// correlation induction (`ImanConover.permutations`), so every column still has one point per
/// stratum and the strata's normal scores have the target correlation.
public struct LatinHypercube: Design {
    public let dimension: Int
    public let count: Int
    /// The seed of the permutations and jitters.
    public let seed: UInt64
    /// `permutations[j][i]` is the stratum of point `i` in dimension `j`.
    public let permutations: [[Int]]

    static let permutationSalt: UInt64 = 0x4C48_535F_5045_524D  // "LHS_PERM"

    /// `count` points of `dimension` coordinates from `seed`, with the ranks of the strata
    /// rearranged to `correlation` (of `dimension` variables) when one is given.
    public init(dimension: Int, count: Int, seed: UInt64, correlation: Correlation? = nil) {
        precondition(dimension >= 0 && count >= 0, "LatinHypercube: negative size")
        precondition(correlation == nil || correlation?.dimension == dimension,
                     "LatinHypercube: correlation of \(correlation?.dimension ?? 0) variables for \(dimension) dimensions")
        self.dimension = dimension
        self.count = count
        self.seed = seed
        let independent = (0..<dimension).map { j in
            var rng = SplitMix64.stream(seed: seed ^ LatinHypercube.permutationSalt, index: UInt64(j))
            var p = Array(0..<count)
            if count > 1 {
                for k in stride(from: count - 1, to: 0, by: -1) { p.swapAt(k, rng.index(below: k + 1)) }
            }
            return p
        }
        if let correlation {
            permutations = ImanConover.permutations(independent, correlation: correlation)
        } else {
            permutations = independent
        }
    }

    public func point(_ index: Int) -> [Double] {
        precondition(index >= 0 && index < count, "LatinHypercube: index \(index) out of 0..<\(count)")
        var rng = SplitMix64.stream(seed: seed, index: UInt64(index))
        let n = Double(count)
        return (0..<dimension).map { j in
            // Clamp: (π + U)/n could round up to the next stratum's edge for large n.
            let x = (Double(permutations[j][index]) + rng.openUnit()) / n
            let upper = (Double(permutations[j][index]) + 1) / n
            return x < upper ? x : upper.nextDown
        }
    }
}
