import CapSimSweep
import LinearAlgebra
import Testing

@Suite struct CorrelationTests {
    static let target = Matrix(rows: [[1, 0.6, -0.3], [0.6, 1, 0.2], [-0.3, 0.2, 1]])

    func sampleCorrelation(_ points: [[Double]]) -> [[Double]] {
        let d = points[0].count
        let n = Double(points.count)
        let mean = (0..<d).map { j in points.reduce(0) { $0 + $1[j] } / n }
        var c = [[Double]](repeating: [Double](repeating: 0, count: d), count: d)
        for i in 0..<d {
            for j in 0..<d {
                c[i][j] = points.reduce(0) { $0 + ($1[i] - mean[i]) * ($1[j] - mean[j]) }
            }
        }
        return (0..<d).map { i in (0..<d).map { j in c[i][j] / (c[i][i] * c[j][j]).squareRoot() } }
    }

    @Test func inducedNormalsHaveTheTargetCorrelation() throws {
        let corr = try Correlation(Self.target)
        let mc = MonteCarlo(dimension: 3, count: 20_000, seed: 21)
        let y = mc.allPoints().map { corr.correlate($0.map(Distribution.standardNormalQuantile)) }
        let r = sampleCorrelation(y)
        for i in 0..<3 { for j in 0..<3 { #expect(abs(r[i][j] - Self.target[i, j]) < 0.02, "(\(i), \(j))") } }
    }

    @Test func copulaKeepsUniformMarginalsWithTargetNormalCorrelation() throws {
        let corr = try Correlation(Self.target)
        let u = LatinHypercube(dimension: 3, count: 20_000, seed: 4).allPoints().map(corr.correlatedUnitPoint)
        #expect(u.allSatisfy { $0.allSatisfy { $0 > 0 && $0 < 1 } })
        for j in 0..<3 {
            let mean = u.reduce(0) { $0 + $1[j] } / Double(u.count)
            #expect(abs(mean - 0.5) < 0.01)
        }
        let normal = try Distribution.normal(mean: 5, sd: 2)
        let r = sampleCorrelation(u.map { $0.map(normal.quantile) })
        for i in 0..<3 { for j in 0..<3 { #expect(abs(r[i][j] - Self.target[i, j]) < 0.02) } }
    }

    @Test func invalidMatricesAreRejected() {
        #expect(throws: CorrelationError.notPositiveDefinite(minor: 3)) {
            try Correlation(Matrix(rows: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]))
        }
        #expect(throws: CorrelationError.asymmetric(row: 0, column: 1, value: 0.5, transposed: 0.4)) {
            try Correlation(Matrix(rows: [[1, 0.5], [0.4, 1]]))
        }
        #expect(throws: CorrelationError.diagonalNotOne(index: 1, value: 2)) {
            try Correlation(Matrix(rows: [[1, 0.5], [0.5, 2]]))
        }
        #expect(throws: CorrelationError.outOfRange(row: 1, column: 0, value: 1.5)) {
            try Correlation(Matrix(rows: [[1, 1.5], [1.5, 1]]))
        }
        #expect(throws: CorrelationError.notSquare(rows: 2, columns: 3)) {
            try Correlation(Matrix(rowCount: 2, columnCount: 3))
        }
    }
}
