/// Saltelli's sampling scheme for Sobol' indices (Saltelli et al. 2010): base matrices `A` and `B`
/// (`N × d`) from the first and last `d` coordinates of points `M ..< M + N` of a `2d`-dimensional
/// Sobol' sequence (`M = SobolSequence.balancedSkip(count: N)`, the smallest power of two
/// `≥ max(N, 2)`), and for each input `i` the matrix `AB_i`: `A` with column `i` taken from `B`.
///
/// With `N` a power of two, `A` and `B` each have one point per stratum `[k/N, (k+1)/N)` in every
/// dimension; for `d ≥ 2` no row has `A = B` (checked for every `N ≤ 2¹⁹`: in the first 2²⁰ points
/// of every `2d ≤ 32` only points 0 and 1 have equal halves). SALib's `sobol.sample` with
/// `calc_second_order=False, scramble=False, skip_values=M` gives the same points.
///
/// `N (d + 2)` points, grouped by base row `j`: point `j (d + 2)` is `A_j`, points
/// `j (d + 2) + 1 + i` are `AB_i,j` for `i = 0..<d`, and point `j (d + 2) + d + 1` is `B_j`. This is
/// SALib's order, and keeps the rows `SobolIndices` resamples together.
public struct Saltelli: Design {
    /// Number of inputs `d`.
    public let dimension: Int
    /// Number of base rows `N`.
    public let baseCount: Int
    /// The `2d`-dimensional Sobol' sequence the base rows come from.
    public let sequence: SobolSequence

    /// `N = baseCount` base rows for `dimension` inputs; needs `2 · dimension ≤ SobolSequence.maxDimension`.
    public init(dimension: Int, baseCount: Int) {
        precondition(dimension >= 1, "Saltelli: needs an input")
        precondition(2 * dimension <= SobolSequence.maxDimension,
                     "Saltelli: 2d = \(2 * dimension) exceeds the \(SobolSequence.maxDimension) Sobol' dimensions")
        self.dimension = dimension
        self.baseCount = baseCount
        self.sequence = SobolSequence(dimension: 2 * dimension, count: baseCount)
    }

    /// `N (d + 2)`.
    public var count: Int { baseCount * (dimension + 2) }

    /// Which matrix a point belongs to.
    public enum Role: Equatable, Sendable {
        /// Row of `A`.
        case a
        /// Row of `AB_i` (input `i`, 0-based).
        case ab(Int)
        /// Row of `B`.
        case b
    }

    /// The base row `j` and matrix of point `index`.
    public func role(_ index: Int) -> (row: Int, role: Role) {
        precondition(index >= 0 && index < count, "Saltelli: index \(index) out of 0..<\(count)")
        let (row, r) = index.quotientAndRemainder(dividingBy: dimension + 2)
        if r == 0 { return (row, .a) }
        if r == dimension + 1 { return (row, .b) }
        return (row, .ab(r - 1))
    }

    public func point(_ index: Int) -> [Double] {
        let (row, role) = role(index)
        let base = sequence.point(row)
        let a = Array(base[0..<dimension])
        switch role {
        case .a: return a
        case .b: return Array(base[dimension...])
        case let .ab(i):
            var x = a
            x[i] = base[dimension + i]
            return x
        }
    }
}
