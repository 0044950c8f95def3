import RealModule

/// A validated one-dimensional distribution of a scenario parameter, sampled by its inverse CDF.
///
/// Designs produce points in the unit hypercube; `quantile(_:)` maps each coordinate to a
/// parameter value. Values are built only through the throwing factories, so every
/// `Distribution` has valid parameters.
public struct Distribution: Equatable, Sendable {
    /// The family and its parameters.
    public enum Kind: Equatable, Sendable {
        /// Uniform on `[a, b]`.
        case uniform(a: Double, b: Double)
        /// Normal with mean `mean` and standard deviation `sd`.
        case normal(mean: Double, sd: Double)
        /// Triangular on `[a, b]` with mode `mode`.
        case triangular(a: Double, mode: Double, b: Double)
        /// `exp(N(mu, sigma²))`: `mu` and `sigma` are the log's mean and standard deviation.
        case lognormal(mu: Double, sigma: Double)
        /// `values[k]` with probability `weights[k] / Σ weights`.
        case discrete(values: [Double], weights: [Double])
    }

    /// The family and parameters, as validated.
    public let kind: Kind
    /// Cumulative normalised weights of a discrete distribution (empty otherwise).
    private let cumulative: [Double]

    private init(_ kind: Kind, cumulative: [Double] = []) {
        self.kind = kind
        self.cumulative = cumulative
    }

    /// Uniform on `[a, b]`; `a == b` is allowed (a constant).
    public static func uniform(_ a: Double, _ b: Double) throws(DistributionError) -> Distribution {
        try finite("a", a); try finite("b", b)
        guard a <= b else { throw .lowerAboveUpper(lower: a, upper: b) }
        return Distribution(.uniform(a: a, b: b))
    }

    /// Normal with mean `mean` and standard deviation `sd > 0`.
    public static func normal(mean: Double, sd: Double) throws(DistributionError) -> Distribution {
        try finite("mean", mean); try finite("sd", sd)
        guard sd > 0 else { throw .nonPositiveScale(parameter: "sd", value: sd) }
        return Distribution(.normal(mean: mean, sd: sd))
    }

    /// Triangular on `[a, b]` with `a ≤ mode ≤ b`; `a == b` is allowed (a constant).
    public static func triangular(_ a: Double, mode: Double, _ b: Double) throws(DistributionError) -> Distribution {
        try finite("a", a); try finite("mode", mode); try finite("b", b)
        guard a <= b else { throw .lowerAboveUpper(lower: a, upper: b) }
        guard mode >= a && mode <= b else { throw .modeOutsideBounds(mode: mode, lower: a, upper: b) }
        return Distribution(.triangular(a: a, mode: mode, b: b))
    }

    /// Lognormal: `exp(X)` with `X ~ N(mu, sigma²)`, `sigma > 0`.
    public static func lognormal(mu: Double, sigma: Double) throws(DistributionError) -> Distribution {
        try finite("mu", mu); try finite("sigma", sigma)
        guard sigma > 0 else { throw .nonPositiveScale(parameter: "sigma", value: sigma) }
        return Distribution(.lognormal(mu: mu, sigma: sigma))
    }

    /// Discrete on `values` with non-negative `weights` (not necessarily normalised, sum > 0).
    public static func discrete(_ values: [Double], weights: [Double]) throws(DistributionError) -> Distribution {
        guard !values.isEmpty else { throw .noValues }
        guard values.count == weights.count else {
            throw .weightCountMismatch(values: values.count, weights: weights.count)
        }
        for (k, v) in values.enumerated() { try finite("values[\(k)]", v) }
        for (k, w) in weights.enumerated() {
            try finite("weights[\(k)]", w)
            guard w >= 0 else { throw .negativeWeight(index: k, weight: w) }
        }
        let total = weights.reduce(0, +)
        guard total > 0 else { throw .zeroTotalWeight }
        var running = 0.0
        var cumulative = weights.map { w -> Double in running += w; return running / total }
        cumulative[cumulative.count - 1] = 1
        return Distribution(.discrete(values: values, weights: weights), cumulative: cumulative)
    }

    private static func finite(_ name: String, _ value: Double) throws(DistributionError) {
        guard value.isFinite else { throw .nonFinite(parameter: name, value: value) }
    }

    /// The inverse CDF at `u ∈ [0, 1]`: the smallest `x` with `F(x) ≥ u` (for discrete, the
    /// first value whose cumulative weight exceeds `u`).
    ///
    /// - uniform: `a + u (b − a)`.
    /// - normal: `mean + sd · Φ⁻¹(u)` (see `standardNormalQuantile`); ±∞ at `u = 0, 1`.
    /// - triangular, with `c = (mode − a)/(b − a)`: `a + √(u (b − a)(mode − a))` for `u < c`,
    ///   else `b − √((1 − u)(b − a)(b − mode))`.
    /// - lognormal: `exp(mu + sigma · Φ⁻¹(u))`.
    public func quantile(_ u: Double) -> Double {
        precondition(u >= 0 && u <= 1, "quantile: u = \(u) is outside [0, 1]")
        switch kind {
        case let .uniform(a, b):
            return a + u * (b - a)
        case let .normal(mean, sd):
            return mean + sd * Distribution.standardNormalQuantile(u)
        case let .triangular(a, mode, b):
            let width = b - a
            if width == 0 { return a }
            let c = (mode - a) / width
            if u < c { return a + (u * width * (mode - a)).squareRoot() }
            return b - ((1 - u) * width * (b - mode)).squareRoot()
        case let .lognormal(mu, sigma):
            return Double.exp(mu + sigma * Distribution.standardNormalQuantile(u))
        case let .discrete(values, _):
            for (k, c) in cumulative.enumerated() where u < c { return values[k] }
            return values[values.count - 1]
        }
    }

    /// Φ⁻¹(u), the standard normal quantile, by Acklam's rational approximation (P. J. Acklam,
    /// "An algorithm for computing the inverse normal cumulative distribution function", 2003):
    /// a rational function in `q = u − ½` for `0.02425 ≤ u ≤ 0.97575`, and in `√(−2 ln u)` (or of
    /// `1 − u`) in the tails. Relative error below 1.15 × 10⁻⁹ over the whole range; no refinement
    /// step is applied. Returns −∞ at 0 and +∞ at 1.
    public static func standardNormalQuantile(_ u: Double) -> Double {
        precondition(u >= 0 && u <= 1, "standardNormalQuantile: u = \(u) is outside [0, 1]")
        if u == 0 { return -.infinity }
        if u == 1 { return .infinity }
        let a = (-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00)
        let b = (-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                 6.680131188771972e+01, -1.328068155288572e+01)
        let c = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                 -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00)
        let d = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                 3.754408661907416e+00)
        let low = 0.02425
        func tail(_ p: Double) -> Double {
            let q = (-2 * Double.log(p)).squareRoot()
            return (((((c.0 * q + c.1) * q + c.2) * q + c.3) * q + c.4) * q + c.5)
                / ((((d.0 * q + d.1) * q + d.2) * q + d.3) * q + 1)
        }
        if u < low { return tail(u) }
        if u > 1 - low { return -tail(1 - u) }
        let q = u - 0.5
        let r = q * q
        return (((((a.0 * r + a.1) * r + a.2) * r + a.3) * r + a.4) * r + a.5) * q
            / (((((b.0 * r + b.1) * r + b.2) * r + b.3) * r + b.4) * r + 1)
    }

    /// Φ(x), the standard normal CDF: `½ erfc(−x/√2)` (swift-numerics' `erfc`, full precision).
    public static func standardNormalCDF(_ x: Double) -> Double {
        0.5 * Double.erfc(-x / 2.0.squareRoot())
    }
}
