import CapSimCore

/// Morris's elementary-effects design (Morris 1991): `r` trajectories of `d + 1` points on the
/// `p`-level grid `{0, 1/(p−1), …, 1}^d`, each step moving one input by `±Δ`, `Δ = p / (2(p − 1))`.
///
/// Trajectory `t` is drawn from `SplitMix64.stream(seed:index: t)`: a base level `x*_i` uniform
/// in `{0, …, p/2 − 1}/(p − 1)` (so `x*_i + Δ ≤ 1`), a direction per input (up: start at `x*_i`,
/// step `+Δ`; down: start at `x*_i + Δ`, step `−Δ`), and a uniform random order of the inputs.
/// Point `t (d + 1) + k` is the trajectory's `k`-th point. Unlike the other designs, coordinates
/// lie in the closed cube [0, 1]: the grid includes 1, so an unbounded distribution's quantile is
/// infinite there and such inputs need a truncated (or bounded) distribution.
public struct Morris: Design {
    public let dimension: Int
    /// Number of trajectories `r`.
    public let trajectoryCount: Int
    /// Number of grid levels `p` (even, ≥ 2).
    public let levels: Int
    /// The seed of the trajectories.
    public let seed: UInt64

    /// `trajectories` trajectories on a `levels`-level grid (`levels` even) from `seed`.
    public init(dimension: Int, trajectories: Int, levels: Int = 4, seed: UInt64) {
        precondition(dimension >= 1 && trajectories >= 0, "Morris: bad size")
        precondition(levels >= 2 && levels % 2 == 0, "Morris: levels must be even and ≥ 2")
        self.dimension = dimension
        self.trajectoryCount = trajectories
        self.levels = levels
        self.seed = seed
    }

    /// `r (d + 1)`.
    public var count: Int { trajectoryCount * (dimension + 1) }

    /// The step `Δ = p / (2(p − 1))`.
    public var delta: Double { Double(levels) / (2 * Double(levels - 1)) }

    /// One trajectory: its `d + 1` points, and for step `k` (from point `k` to `k + 1`) the input
    /// moved and the signed step (`±Δ`).
    public struct Trajectory: Equatable, Sendable {
        /// The `d + 1` points.
        public let points: [[Double]]
        /// `moved[k]`: the input changed between points `k` and `k + 1`.
        public let moved: [Int]
        /// `steps[k]`: `points[k + 1][moved[k]] − points[k][moved[k]]`, exactly `±Δ` up to rounding.
        public let steps: [Double]
    }

    /// Trajectory `t`, regenerated from its stream.
    public func trajectory(_ t: Int) -> Trajectory {
        precondition(t >= 0 && t < trajectoryCount, "Morris: trajectory \(t) out of 0..<\(trajectoryCount)")
        var rng = SplitMix64.stream(seed: seed, index: UInt64(t))
        let gap = Double(levels - 1)
        let half = levels / 2  // levels per step: Δ = half / (p − 1)
        var level = [Int](repeating: 0, count: dimension)
        var up = [Bool](repeating: true, count: dimension)
        for i in 0..<dimension {
            let base = rng.index(below: half)
            up[i] = rng.next() >> 63 == 0
            level[i] = up[i] ? base : base + half
        }
        var order = Array(0..<dimension)
        for k in stride(from: dimension - 1, to: 0, by: -1) { order.swapAt(k, rng.index(below: k + 1)) }
        var points = [level.map { Double($0) / gap }]
        var steps: [Double] = []
        for i in order {
            level[i] += up[i] ? half : -half
            let next = level.map { Double($0) / gap }
            steps.append(next[i] - points[points.count - 1][i])
            points.append(next)
        }
        return Trajectory(points: points, moved: order, steps: steps)
    }

    public func point(_ index: Int) -> [Double] {
        precondition(index >= 0 && index < count, "Morris: index \(index) out of 0..<\(count)")
        let (t, k) = index.quotientAndRemainder(dividingBy: dimension + 1)
        return trajectory(t).points[k]
    }
}
