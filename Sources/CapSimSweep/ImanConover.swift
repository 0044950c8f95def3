import LinearAlgebra

/// Iman and Conover's (1982) distribution-free rank correlation induction, on the strata of a
/// Latin hypercube.
///
/// Given `d` independent permutations `π_j` of `0..<n` (the strata of `n` points), with
/// van der Waerden scores `a_k = Φ⁻¹((k + 1)/(n + 1))`:
/// 1. the score matrix `S_ij = a_{π_j(i)}` (the hypercube's own random arrangement of the scores);
/// 2. `E = Q Qᵀ`, the sample correlation of `S`'s columns (every column holds the same scores,
///    centred, so `E = SᵀS / Σ_k a_k²`), and `R = P Pᵀ` the target;
/// 3. `T = S Q⁻ᵀ Pᵀ`: row by row `t = P Q⁻¹ s`, so `T`'s columns have sample correlation exactly `R`
///    (when `E` is not positive definite, for `n ≤ d`, `Q = I`: the columns of `S` are taken as
///    uncorrelated);
/// 4. the new stratum of point `i` in dimension `j` is the rank of `T_ij` in column `j` (ties by
///    point index).
///
/// Each new column is a permutation of `0..<n`, so every dimension keeps exactly one point per
/// stratum, and the van der Waerden scores of the strata have sample correlation close to `R`
/// (only the rounding of `T` to ranks is lost): the same normal-scores rank correlation as the
/// Gaussian copula `Correlation.correlatedUnitPoint` gives other designs, so Spearman's rank
/// correlation is close to `(6/π) asin(R_ij/2)`.
public enum ImanConover {
    /// The permutations `independent` rearranged so their normal scores have correlation `correlation`.
    public static func permutations(_ independent: [[Int]], correlation: Correlation) -> [[Int]] {
        let d = independent.count
        precondition(d == correlation.dimension, "ImanConover: \(d) columns for a correlation of \(correlation.dimension)")
        guard d >= 2, let n = independent.first?.count, n >= 2 else { return independent }
        precondition(independent.allSatisfy { $0.count == n }, "ImanConover: columns of unequal length")
        let scores = (0..<n).map { Distribution.standardNormalQuantile(Double($0 + 1) / Double(n + 1)) }
        let sumOfSquares = scores.reduce(0) { $0 + $1 * $1 }
        // E: sample correlation of the score columns, accumulated in a fixed order.
        var e = Matrix(rowCount: d, columnCount: d)
        for a in 0..<d {
            for b in 0...a {
                var s = 0.0
                for i in 0..<n { s += scores[independent[a][i]] * scores[independent[b][i]] }
                e[a, b] = a == b ? 1 : s / sumOfSquares
                e[b, a] = e[a, b]
            }
        }
        let q = (try? Matrix.choleskyLower(e)) ?? identity(d)
        let p = correlation.factor
        var t = [[Double]](repeating: [Double](repeating: 0, count: n), count: d)
        var w = [Double](repeating: 0, count: d)
        for i in 0..<n {
            // w = Q⁻¹ s by forward substitution, then t = P w.
            for a in 0..<d {
                var x = scores[independent[a][i]]
                for k in 0..<a { x -= q[a, k] * w[k] }
                w[a] = x / q[a, a]
            }
            for a in 0..<d {
                var x = 0.0
                for k in 0...a { x += p[a, k] * w[k] }
                t[a][i] = x
            }
        }
        return t.map { column in
            var stratum = [Int](repeating: 0, count: n)
            let order = column.indices.sorted { column[$0] < column[$1] || (column[$0] == column[$1] && $0 < $1) }
            for (rank, i) in order.enumerated() { stratum[i] = rank }
            return stratum
        }
    }

    private static func identity(_ d: Int) -> Matrix {
        var m = Matrix(rowCount: d, columnCount: d)
        for i in 0..<d { m[i, i] = 1 }
        return m
    }
}
