import CLAPACKE

extension Matrix {
    /// The lower-triangular Cholesky factor `L` of a symmetric positive-definite `A = L · Lᵀ`
    /// (LAPACK `dpotrf`, lower triangle referenced; the strict upper triangle of the result is zero).
    ///
    /// Only the lower triangle of `A` is read; symmetry is the caller's responsibility.
    /// - Throws: `LinearAlgebraError.notPositiveDefinite` when the leading minor of order `minor`
    ///   is not positive definite.
    public static func choleskyLower(_ a: Matrix) throws -> Matrix {
        precondition(a.rowCount == a.columnCount, "choleskyLower: A must be square")
        var l = a
        if a.rowCount == 0 { return l }
        let n = blasInt(a.rowCount, "n")
        let uplo = CChar(UInt8(ascii: "L"))
        let info = l.withUnsafeMutableBufferPointer { ap in
            LAPACKE_dpotrf(LAPACK_COL_MAJOR, uplo, n, ap.baseAddress, n)
        }
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dpotrf", argument: Int(-info)) }
        if info > 0 { throw LinearAlgebraError.notPositiveDefinite(routine: "dpotrf", minor: Int(info)) }
        for j in 1..<a.columnCount {
            for i in 0..<j { l[i, j] = 0 }
        }
        return l
    }
}
