import CapSimCore

/// First-order and total Sobol' indices from the outputs of a `Saltelli` design, with bootstrap
/// percentile confidence intervals.
///
/// With `f_A`, `f_B`, `f_ABi` the outputs on the `N` rows of `A`, `B`, `AB_i`, `m` the mean and `V`
/// the variance (divisor `2N − 1`) of all `2N` outputs on `A` and `B`:
/// - first order (Saltelli et al. 2010, table 2 (b), on centred outputs):
///   `S_i = (1/N) Σ_j (f_B(j) − m) (f_ABi(j) − f_A(j)) / V`;
/// - total (Jansen 1999): `ST_i = (1/(2N)) Σ_j (f_A(j) − f_ABi(j))² / V`.
///
/// Centring `f_B` by `m` (as SALib does by normalising the outputs) makes `S_i` invariant under
/// `f → a f + c`, as the true index is: uncentred, the estimator is unbiased but its error grows
/// with `m²/V`, so an outcome far from zero (debt in yuan) gave wrong indices and intervals several
/// times too wide. `ST_i` only uses differences and was already invariant.
///
/// Bootstrap: replicate `b` draws `N` base rows with replacement (from
/// `SplitMix64.stream(seed:index: b)`, each row keeping its `A`, `B` and `AB_i` outputs together),
/// recomputes `m`, `V`, `S_i` and `ST_i` (so every replicate is invariant too), and the interval
/// at confidence `c` runs between the empirical
/// `(1 − c)/2` and `(1 + c)/2` quantiles of the replicates (linear interpolation between order
/// statistics, the "type 7" definition).
public struct SobolIndices: Equatable, Sendable {
    /// `S_i` per input.
    public let first: [Double]
    /// `ST_i` per input.
    public let total: [Double]
    /// Bootstrap interval of `S_i` per input.
    public let firstInterval: [ClosedRange<Double>]
    /// Bootstrap interval of `ST_i` per input.
    public let totalInterval: [ClosedRange<Double>]
    /// The confidence level of the intervals.
    public let confidence: Double

    /// Indices from `outputs[k] = f(design.point(k))`, with `resamples` bootstrap replicates.
    public init(design: Saltelli, outputs: [Double], resamples: Int = 1000, confidence: Double = 0.95,
                seed: UInt64) {
        precondition(outputs.count == design.count,
                     "SobolIndices: \(outputs.count) outputs for \(design.count) points")
        precondition(design.baseCount >= 2, "SobolIndices: needs at least 2 base rows")
        precondition(resamples >= 1 && confidence > 0 && confidence < 1, "SobolIndices: bad bootstrap settings")
        let d = design.dimension
        let n = design.baseCount
        let rows = Array(0..<n)
        let estimate = SobolIndices.estimate(outputs: outputs, dimension: d, rows: rows)
        first = estimate.first
        total = estimate.total
        self.confidence = confidence

        var firstSamples = [[Double]](repeating: [], count: d)
        var totalSamples = [[Double]](repeating: [], count: d)
        var resampled = [Int](repeating: 0, count: n)
        for b in 0..<resamples {
            var rng = SplitMix64.stream(seed: seed, index: UInt64(b))
            for j in 0..<n { resampled[j] = Int(rng.next(upperBound: UInt64(n))) }
            let e = SobolIndices.estimate(outputs: outputs, dimension: d, rows: resampled)
            for i in 0..<d {
                firstSamples[i].append(e.first[i])
                totalSamples[i].append(e.total[i])
            }
        }
        let lo = (1 - confidence) / 2
        let hi = (1 + confidence) / 2
        firstInterval = firstSamples.map { s in
            let sorted = s.sorted()
            return EmpiricalQuantile.of(sorted: sorted, at: lo)...EmpiricalQuantile.of(sorted: sorted, at: hi)
        }
        totalInterval = totalSamples.map { s in
            let sorted = s.sorted()
            return EmpiricalQuantile.of(sorted: sorted, at: lo)...EmpiricalQuantile.of(sorted: sorted, at: hi)
        }
    }

    /// The point estimates over base rows `rows` (repeats allowed), in the given order.
    static func estimate(outputs: [Double], dimension d: Int, rows: [Int]) -> (first: [Double], total: [Double]) {
        let stride = d + 2
        let n = Double(rows.count)
        var sum = 0.0
        for j in rows { sum += outputs[j * stride] + outputs[j * stride + d + 1] }
        let mean = sum / (2 * n)
        var squares = 0.0
        for j in rows {
            let a = outputs[j * stride] - mean
            let b = outputs[j * stride + d + 1] - mean
            squares += a * a + b * b
        }
        let variance = squares / (2 * n - 1)
        var first = [Double](repeating: 0, count: d)
        var total = [Double](repeating: 0, count: d)
        for i in 0..<d {
            var s = 0.0
            var t = 0.0
            for j in rows {
                let fA = outputs[j * stride]
                let fB = outputs[j * stride + d + 1] - mean
                let fAB = outputs[j * stride + 1 + i]
                s += fB * (fAB - fA)
                t += (fA - fAB) * (fA - fAB)
            }
            first[i] = s / n / variance
            total[i] = t / (2 * n) / variance
        }
        return (first, total)
    }
}
