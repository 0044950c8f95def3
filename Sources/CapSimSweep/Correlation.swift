import LinearAlgebra

/// Induces a target correlation matrix `R` on independent standard normals by its Cholesky factor.
///
/// With `R = L Lᵀ` (LAPACK `dpotrf`) and `z` independent `N(0, 1)`, `y = L z` has correlation `R`.
/// `correlatedUnitPoint` applies this as a Gaussian copula to a design point: `z_i = Φ⁻¹(u_i)`,
/// `y = L z`, `u'_i = Φ(y_i)`; the marginals stay uniform and the inputs' quantiles then have
/// normal-rank correlation `R` (Pearson correlation exactly `R` only for normal marginals; for
/// others the rank correlation is `(6/π) asin(R/2)`).
public struct Correlation: Sendable {
    /// The validated target correlation matrix.
    public let matrix: Matrix
    /// Its lower Cholesky factor `L`.
    public let factor: Matrix

    /// Validates `matrix` (square, finite, unit diagonal, entries in [−1, 1], symmetric within
    /// `symmetryTolerance`, positive definite) and factors it.
    public init(_ matrix: Matrix, symmetryTolerance: Double = 1e-12) throws(CorrelationError) {
        let n = matrix.rowCount
        guard matrix.columnCount == n else { throw .notSquare(rows: n, columns: matrix.columnCount) }
        for j in 0..<n {
            for i in 0..<n {
                let v = matrix[i, j]
                guard v.isFinite else { throw .nonFinite(row: i, column: j, value: v) }
                if i == j {
                    guard v == 1 else { throw .diagonalNotOne(index: i, value: v) }
                } else {
                    guard v >= -1 && v <= 1 else { throw .outOfRange(row: i, column: j, value: v) }
                }
            }
        }
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) where abs(matrix[i, j] - matrix[j, i]) > symmetryTolerance {
                throw .asymmetric(row: i, column: j, value: matrix[i, j], transposed: matrix[j, i])
            }
        }
        do {
            factor = try Matrix.choleskyLower(matrix)
        } catch let LinearAlgebraError.notPositiveDefinite(_, minor) {
            throw .notPositiveDefinite(minor: minor)
        } catch {
            preconditionFailure("Correlation: unexpected LAPACK failure \(error)")
        }
        self.matrix = matrix
    }

    /// Number of variables.
    public var dimension: Int { matrix.rowCount }

    /// `L z`: correlated standard normals from independent ones.
    public func correlate(_ z: [Double]) -> [Double] {
        precondition(z.count == dimension, "Correlation: \(z.count) values for dimension \(dimension)")
        var y = [Double](repeating: 0, count: dimension)
        for i in 0..<dimension {
            var s = 0.0
            for k in 0...i { s += factor[i, k] * z[k] }
            y[i] = s
        }
        return y
    }

    /// A design point with the target dependence (Gaussian copula): `Φ(L Φ⁻¹(u))`.
    ///
    /// `u` must be in the open cube (0, 1)^d; a coordinate of exactly 0 or 1 is infinite in `z`.
    public func correlatedUnitPoint(_ u: [Double]) -> [Double] {
        precondition(u.allSatisfy { $0 > 0 && $0 < 1 }, "Correlation: coordinates must be in (0, 1)")
        return correlate(u.map(Distribution.standardNormalQuantile)).map(Distribution.standardNormalCDF)
    }
}
