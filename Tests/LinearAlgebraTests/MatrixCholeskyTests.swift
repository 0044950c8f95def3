import LinearAlgebra
import Numerics
import Testing

@Suite struct MatrixCholeskyTests {
    @Test func choleskyReproducesRandomSPDMatrices() throws {
        var rng = SplitMix64(seed: 11)
        for n in [1, 2, 5, 30] {
            let g = randomMatrix(n, n, &rng)
            var a = naiveProduct(g, false, g, true)
            for i in 0..<n { a[i, i] += Double(n) }
            let l = try Matrix.choleskyLower(a)
            for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { #expect(l[i, j] == 0) } }
            expectClose(naiveProduct(l, false, l, true), a, tolerance: 1e-10)
        }
    }

    @Test func indefiniteMatrixThrowsTypedError() {
        let a = Matrix(rows: [[1, 2], [2, 1]])
        #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dpotrf", minor: 2)) {
            try Matrix.choleskyLower(a)
        }
    }
}
