/// A failure reported by LAPACK through its `info` result.
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Argument number `argument` had an illegal value (LAPACK `info < 0`): a programming error.
    case illegalArgument(routine: String, argument: Int)
    /// The matrix is singular: U(i, i) is exactly zero (LAPACK `info > 0`, 1-based index).
    case singular(routine: String, pivot: Int)
    /// The leading minor of order `minor` (1-based) is not positive definite (`dpotrf`, `info > 0`).
    case notPositiveDefinite(routine: String, minor: Int)

    public var description: String {
        switch self {
        case let .illegalArgument(routine, argument):
            return "\(routine): argument \(argument) had an illegal value"
        case let .singular(routine, pivot):
            return "\(routine): matrix is singular (zero pivot at \(pivot))"
        case let .notPositiveDefinite(routine, minor):
            return "\(routine): matrix is not positive definite (leading minor of order \(minor))"
        }
    }
}
