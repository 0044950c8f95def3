import CBLAS

/// Whether an operand is used as stored or transposed.
public enum Transpose: Sendable {
    case none
    case transposed

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

extension Matrix {
    /// General matrix product through BLAS `dgemm`:
    /// `C ← alpha · op(A) · op(B) + beta · C`, where op is the identity or the transpose.
    public static func gemm(
        _ a: Matrix, _ b: Matrix, transA: Transpose = .none, transB: Transpose = .none,
        into c: inout Matrix, alpha: Double = 1, beta: Double = 0
    ) {
        let m = transA == .none ? a.rowCount : a.columnCount
        let k = transA == .none ? a.columnCount : a.rowCount
        let kb = transB == .none ? b.rowCount : b.columnCount
        let n = transB == .none ? b.columnCount : b.rowCount
        precondition(k == kb, "gemm: inner dimensions differ (\(k) vs \(kb))")
        precondition(c.rowCount == m && c.columnCount == n,
                     "gemm: result is \(c.rowCount)x\(c.columnCount), expected \(m)x\(n)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            // BLAS leaves C scaled by beta only; do the same without calling it with lda = 0.
            c.withUnsafeMutableBufferPointer { cp in for i in cp.indices { cp[i] *= beta } }
            return
        }
        let lda = blasInt(max(1, a.rowCount), "lda")
        let ldb = blasInt(max(1, b.rowCount), "ldb")
        let ldc = blasInt(max(1, c.rowCount), "ldc")
        let (m32, n32, k32) = (blasInt(m, "m"), blasInt(n, "n"), blasInt(k, "k"))
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemm(CblasColMajor, transA.cblas, transB.cblas, m32, n32, k32,
                                alpha, ap.baseAddress, lda, bp.baseAddress, ldb,
                                beta, cp.baseAddress, ldc)
                }
            }
        }
    }

    /// Returns `op(A) · op(B)`.
    public static func product(_ a: Matrix, _ b: Matrix, transA: Transpose = .none,
                               transB: Transpose = .none) -> Matrix {
        let m = transA == .none ? a.rowCount : a.columnCount
        let n = transB == .none ? b.columnCount : b.rowCount
        var c = Matrix(rowCount: m, columnCount: n)
        gemm(a, b, transA: transA, transB: transB, into: &c)
        return c
    }

    /// Matrix-vector product through BLAS `dgemv`: `y ← alpha · op(A) · x + beta · y`.
    public static func gemv(_ a: Matrix, _ x: [Double], trans: Transpose = .none,
                            into y: inout [Double], alpha: Double = 1, beta: Double = 0) {
        let rows = trans == .none ? a.rowCount : a.columnCount
        let cols = trans == .none ? a.columnCount : a.rowCount
        precondition(x.count == cols, "gemv: x has \(x.count) elements, expected \(cols)")
        precondition(y.count == rows, "gemv: y has \(y.count) elements, expected \(rows)")
        if rows == 0 { return }
        if cols == 0 { for i in y.indices { y[i] *= beta }; return }
        let lda = blasInt(max(1, a.rowCount), "lda")
        let (m32, n32) = (blasInt(a.rowCount, "m"), blasInt(a.columnCount, "n"))
        a.withUnsafeBufferPointer { ap in
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_dgemv(CblasColMajor, trans.cblas, m32, n32, alpha, ap.baseAddress, lda,
                                xp.baseAddress, 1, beta, yp.baseAddress, 1)
                }
            }
        }
    }
}

/// Vector operations on `[Double]` through BLAS level 1.
public enum Vector {
    /// `y ← alpha · x + y` (BLAS `daxpy`).
    public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count, "axpy: lengths differ (\(x.count) vs \(y.count))")
        if x.isEmpty { return }
        let n = blasInt(x.count, "n")
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                cblas_daxpy(n, alpha, xp.baseAddress, 1, yp.baseAddress, 1)
            }
        }
    }

    /// `x · y` (BLAS `ddot`).
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "dot: lengths differ (\(x.count) vs \(y.count))")
        if x.isEmpty { return 0 }
        let n = blasInt(x.count, "n")
        return x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in cblas_ddot(n, xp.baseAddress, 1, yp.baseAddress, 1) }
        }
    }
}

extension Matrix {
    /// `C[:, columns] ← A · B[:, columns]` for a contiguous range of columns of `B` and `C`, through
    /// BLAS `dgemm` on the sub-block in place (column-major columns are contiguous, so no copy).
    ///
    /// Used to apply a different square operator to each scenario's block of columns.
    public static func gemm(_ a: Matrix, _ b: Matrix, columns: Range<Int>, into c: inout Matrix) {
        precondition(a.columnCount == b.rowCount, "gemm: inner dimensions differ (\(a.columnCount) vs \(b.rowCount))")
        precondition(c.rowCount == a.rowCount && c.columnCount == b.columnCount, "gemm: result shape differs")
        precondition(columns.lowerBound >= 0 && columns.upperBound <= b.columnCount, "gemm: columns out of range")
        if a.rowCount == 0 || columns.isEmpty { return }
        let rows = c.rowCount
        if a.columnCount == 0 {
            c.withUnsafeMutableBufferPointer { cp in
                for j in columns { for i in 0..<rows { cp[i + j * rows] = 0 } }
            }
            return
        }
        let m = blasInt(a.rowCount, "m"), n = blasInt(columns.count, "n"), k = blasInt(a.columnCount, "k")
        let lda = blasInt(max(1, a.rowCount), "lda")
        let ldb = blasInt(max(1, b.rowCount), "ldb"), ldc = blasInt(max(1, c.rowCount), "ldc")
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                c.withUnsafeMutableBufferPointer { cp in
                    cblas_dgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, ap.baseAddress, lda,
                                bp.baseAddress! + columns.lowerBound * b.rowCount, ldb, 0,
                                cp.baseAddress! + columns.lowerBound * rows, ldc)
                }
            }
        }
    }
}

/// BLAS on caller-owned storage, for kernels that keep their state in flat buffers allocated once
/// (the workforce step's blocks) and must not copy into a `Matrix` every year.
public enum RawBLAS {
    /// `C ← A · B` for row-major `A` (m × k, leading dimension `lda`), `B` (k × n, `ldb`) and
    /// `C` (m × n, `ldc`), through `dgemm`. Dimensions are checked to fit BLAS's 32-bit integers.
    public static func gemmRowMajor(m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int,
                                    b: UnsafePointer<Double>, ldb: Int, c: UnsafeMutablePointer<Double>, ldc: Int) {
        if m == 0 || n == 0 { return }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasInt(m, "m"), blasInt(n, "n"), blasInt(k, "k"),
                    1, a, blasInt(lda, "lda"), b, blasInt(ldb, "ldb"), 0, c, blasInt(ldc, "ldc"))
    }
}
