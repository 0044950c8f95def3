/// Why a target correlation matrix was rejected (indices 0-based).
public enum CorrelationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The matrix is not square.
    case notSquare(rows: Int, columns: Int)
    /// An entry is NaN or infinite.
    case nonFinite(row: Int, column: Int, value: Double)
    /// A diagonal entry is not 1.
    case diagonalNotOne(index: Int, value: Double)
    /// An off-diagonal entry is outside [−1, 1].
    case outOfRange(row: Int, column: Int, value: Double)
    /// Entry (row, column) differs from (column, row).
    case asymmetric(row: Int, column: Int, value: Double, transposed: Double)
    /// Cholesky failed: the leading minor of order `minor` (1-based) is not positive definite.
    case notPositiveDefinite(minor: Int)

    public var description: String {
        switch self {
        case let .notSquare(rows, columns): return "correlation matrix is \(rows) x \(columns), not square"
        case let .nonFinite(row, column, value): return "entry (\(row), \(column)) = \(value) is not finite"
        case let .diagonalNotOne(index, value): return "diagonal entry (\(index), \(index)) = \(value), expected 1"
        case let .outOfRange(row, column, value): return "entry (\(row), \(column)) = \(value) is outside [-1, 1]"
        case let .asymmetric(row, column, value, transposed):
            return "entry (\(row), \(column)) = \(value) but (\(column), \(row)) = \(transposed): not symmetric"
        case let .notPositiveDefinite(minor):
            return "correlation matrix is not positive definite (leading minor of order \(minor))"
        }
    }
}
