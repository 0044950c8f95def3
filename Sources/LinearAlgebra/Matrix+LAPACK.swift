import CLAPACKE

extension Matrix {
    /// Solves `A · X = B` for square `A` by LU factorisation with partial pivoting (LAPACK `dgesv`).
    ///
    /// - Throws: `LinearAlgebraError.singular` when `A` is exactly singular.
    public static func solve(_ a: Matrix, _ b: Matrix) throws -> Matrix {
        precondition(a.rowCount == a.columnCount, "solve: A must be square")
        precondition(b.rowCount == a.rowCount, "solve: B has \(b.rowCount) rows, expected \(a.rowCount)")
        var lu = a
        var x = b
        if a.rowCount == 0 || b.columnCount == 0 { return x }
        let n = blasInt(a.rowCount, "n")
        let nrhs = blasInt(b.columnCount, "nrhs")
        var pivots = [Int32](repeating: 0, count: a.rowCount)
        let info = lu.withUnsafeMutableBufferPointer { ap in
            x.withUnsafeMutableBufferPointer { bp in
                pivots.withUnsafeMutableBufferPointer { pp in
                    LAPACKE_dgesv(LAPACK_COL_MAJOR, n, nrhs, ap.baseAddress, n,
                                  pp.baseAddress, bp.baseAddress, n)
                }
            }
        }
        if info < 0 { throw LinearAlgebraError.illegalArgument(routine: "dgesv", argument: Int(-info)) }
        if info > 0 { throw LinearAlgebraError.singular(routine: "dgesv", pivot: Int(info)) }
        return x
    }
}
