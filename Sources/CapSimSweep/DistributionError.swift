/// Why a distribution's parameters were rejected.
public enum DistributionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A parameter is NaN or infinite.
    case nonFinite(parameter: String, value: Double)
    /// The lower bound is above the upper bound.
    case lowerAboveUpper(lower: Double, upper: Double)
    /// A scale parameter (normal `sd`, lognormal `sigma`) is zero or negative.
    case nonPositiveScale(parameter: String, value: Double)
    /// The triangular mode lies outside `[a, b]`.
    case modeOutsideBounds(mode: Double, lower: Double, upper: Double)
    /// A discrete distribution has no values.
    case noValues
    /// Discrete values and weights have different counts.
    case weightCountMismatch(values: Int, weights: Int)
    /// A discrete weight is negative (0-based index).
    case negativeWeight(index: Int, weight: Double)
    /// The discrete weights sum to zero.
    case zeroTotalWeight

    public var description: String {
        switch self {
        case let .nonFinite(parameter, value): return "\(parameter) = \(value) is not finite"
        case let .lowerAboveUpper(lower, upper): return "lower bound \(lower) is above upper bound \(upper)"
        case let .nonPositiveScale(parameter, value): return "\(parameter) = \(value) must be positive"
        case let .modeOutsideBounds(mode, lower, upper): return "mode \(mode) is outside [\(lower), \(upper)]"
        case .noValues: return "a discrete distribution needs at least one value"
        case let .weightCountMismatch(values, weights): return "\(values) values but \(weights) weights"
        case let .negativeWeight(index, weight): return "weight \(index) = \(weight) is negative"
        case .zeroTotalWeight: return "weights sum to zero"
        }
    }
}
