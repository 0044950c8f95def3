import LinearAlgebra
import Numerics
import Testing

@Suite struct MatrixLAPACKTests {
    @Test func solveRecoversKnownSolutionOnRandomSystems() throws {
        var rng = SplitMix64(seed: 5)
        for n in [1, 2, 8, 40] {
            var a = randomMatrix(n, n, &rng)
            for i in 0..<n { a[i, i] += Double(n) }  // diagonally dominant: well conditioned
            let x = randomMatrix(n, 3, &rng)
            let b = naiveProduct(a, false, x, false)
            let solved = try Matrix.solve(a, b)
            expectClose(solved, x, tolerance: 1e-10)
        }
    }

    @Test func singularMatrixThrowsTypedError() {
        let a = Matrix(rows: [[1, 2], [2, 4]])
        let b = Matrix(rows: [[1], [2]])
        #expect(throws: LinearAlgebraError.singular(routine: "dgesv", pivot: 2)) {
            try Matrix.solve(a, b)
        }
    }
}
