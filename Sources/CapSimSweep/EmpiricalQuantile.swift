/// Quantiles of a sample, as bootstrap intervals and sweep summaries report them.
public enum EmpiricalQuantile {
    /// The `p`-quantile of ascending `sorted` by linear interpolation between order statistics
    /// (Hyndman–Fan type 7, NumPy's default): with `h = (n − 1) p` and `k = ⌊h⌋`,
    /// `x[k] + (h − k)(x[k+1] − x[k])`, and `x[n−1]` when `k = n − 1`.
    public static func of(sorted: [Double], at p: Double) -> Double {
        precondition(!sorted.isEmpty, "quantile of nothing")
        let h = Double(sorted.count - 1) * p
        let k = Int(h)
        if k + 1 >= sorted.count { return sorted[sorted.count - 1] }
        return sorted[k] + (h - Double(k)) * (sorted[k + 1] - sorted[k])
    }
}
