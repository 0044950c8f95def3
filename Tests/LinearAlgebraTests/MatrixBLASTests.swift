import Dispatch
import LinearAlgebra
import Numerics
import Testing

/// A small repeatable generator (SplitMix64) so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func randomMatrix(_ r: Int, _ c: Int, _ rng: inout SplitMix64) -> Matrix {
    Matrix(rowCount: r, columnCount: c,
           columnMajor: (0..<(r * c)).map { _ in Double.random(in: -1...1, using: &rng) })
}

/// Plain triple loop: the reference every BLAS path is checked against.
func naiveProduct(_ a: Matrix, _ ta: Bool, _ b: Matrix, _ tb: Bool) -> Matrix {
    let m = ta ? a.columnCount : a.rowCount
    let k = ta ? a.rowCount : a.columnCount
    let n = tb ? b.rowCount : b.columnCount
    var c = Matrix(rowCount: m, columnCount: n)
    for i in 0..<m {
        for j in 0..<n {
            var sum = 0.0
            for p in 0..<k { sum += (ta ? a[p, i] : a[i, p]) * (tb ? b[j, p] : b[p, j]) }
            c[i, j] = sum
        }
    }
    return c
}

func expectClose(_ x: Matrix, _ y: Matrix, tolerance: Double = 1e-12) {
    #expect(x.rowCount == y.rowCount && x.columnCount == y.columnCount)
    for (a, b) in zip(x.elements, y.elements) {
        #expect(a.isApproximatelyEqual(to: b, absoluteTolerance: tolerance * max(1, abs(b))))
    }
}

@Suite struct MatrixBLASTests {
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func gemmMatchesPlainLoopOnRandomInputs(ta: Bool, tb: Bool) {
        var rng = SplitMix64(seed: 42)
        for (m, k, n) in [(1, 1, 1), (7, 3, 5), (31, 17, 9), (64, 100, 3)] {
            let a = ta ? randomMatrix(k, m, &rng) : randomMatrix(m, k, &rng)
            let b = tb ? randomMatrix(n, k, &rng) : randomMatrix(k, n, &rng)
            let c = Matrix.product(a, b, transA: ta ? .transposed : .none, transB: tb ? .transposed : .none)
            expectClose(c, naiveProduct(a, ta, b, tb))
        }
    }

    @Test func gemmAccumulatesWithAlphaAndBeta() {
        var rng = SplitMix64(seed: 7)
        let a = randomMatrix(5, 4, &rng), b = randomMatrix(4, 6, &rng)
        let c0 = randomMatrix(5, 6, &rng)
        var c = c0
        Matrix.gemm(a, b, into: &c, alpha: 2, beta: -0.5)
        let ab = naiveProduct(a, false, b, false)
        let expected = Matrix(rowCount: 5, columnCount: 6,
                              columnMajor: zip(ab.elements, c0.elements).map { 2 * $0 - 0.5 * $1 })
        expectClose(c, expected)
    }

    @Test func gemmWithEmptyInnerDimensionScalesByBeta() {
        let a = Matrix(rowCount: 3, columnCount: 0), b = Matrix(rowCount: 0, columnCount: 2)
        var c = Matrix(rowCount: 3, columnCount: 2, repeating: 4)
        Matrix.gemm(a, b, into: &c, beta: 0.5)
        #expect(c.elements == Array(repeating: 2, count: 6))
    }

    @Test func gemvMatchesPlainLoop() {
        var rng = SplitMix64(seed: 3)
        let a = randomMatrix(9, 4, &rng)
        let x = (0..<4).map { _ in Double.random(in: -1...1, using: &rng) }
        var y = [Double](repeating: 0, count: 9)
        Matrix.gemv(a, x, into: &y)
        for i in 0..<9 {
            let expected = (0..<4).reduce(0.0) { $0 + a[i, $1] * x[$1] }
            #expect(y[i].isApproximatelyEqual(to: expected, absoluteTolerance: 1e-12))
        }
        let z = (0..<9).map { _ in Double.random(in: -1...1, using: &rng) }
        var w = [Double](repeating: 1, count: 4)
        Matrix.gemv(a, z, trans: .transposed, into: &w, beta: 1)
        for j in 0..<4 {
            let expected = 1 + (0..<9).reduce(0.0) { $0 + a[$1, j] * z[$1] }
            #expect(w[j].isApproximatelyEqual(to: expected, absoluteTolerance: 1e-12))
        }
    }

    @Test func axpyAndDotMatchPlainLoops() {
        var rng = SplitMix64(seed: 11)
        let x = (0..<1001).map { _ in Double.random(in: -1...1, using: &rng) }
        var y = (0..<1001).map { _ in Double.random(in: -1...1, using: &rng) }
        let y0 = y
        Vector.axpy(1.5, x, &y)
        for i in x.indices { #expect(y[i].isApproximatelyEqual(to: 1.5 * x[i] + y0[i], absoluteTolerance: 1e-14)) }
        let dot = Vector.dot(x, y0)
        let plain = zip(x, y0).reduce(0.0) { $0 + $1.0 * $1.1 }
        #expect(dot.isApproximatelyEqual(to: plain, absoluteTolerance: 1e-10))
    }

    @Test func matrixIsAValueNotSharedState() {
        var a = Matrix(rows: [[1, 2], [3, 4]])
        let b = a
        a[0, 0] = 9
        #expect(b[0, 0] == 1)
        #expect(a[1, 0] == 3 && a.column(1) == [2, 4])
    }

    @Test func threadCountCanBeSet() {
        let before = BLASThreads.count
        BLASThreads.set(1)
        #expect(BLASThreads.count == 1)
        BLASThreads.set(before)
    }
}

/// Overlapping single-thread sections (two engines run threaded at once) keep OpenBLAS on one
/// thread until the last ends, and then restore what was set.
@Suite(.serialized) struct BLASThreadSectionTests {
    @Test func overlappingSectionsDoNotRestoreEachOthersCount() {
        BLASThreads.set(max(2, BLASThreads.requested))
        let aInside = DispatchSemaphore(value: 0), bInside = DispatchSemaphore(value: 0), aDone = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        nonisolated(unsafe) var countInBAfterA = 0
        DispatchQueue.global().async(group: group) {
            BLASThreads.withSingleThread {
                aInside.signal()
                bInside.wait()
            }
            aDone.signal()
        }
        DispatchQueue.global().async(group: group) {
            aInside.wait()
            BLASThreads.withSingleThread {
                bInside.signal()
                aDone.wait()
                // Saving and restoring the count around each section would have put 2 back here.
                countInBAfterA = BLASThreads.count
            }
        }
        group.wait()
        #expect(countInBAfterA == 1)
    }
}
