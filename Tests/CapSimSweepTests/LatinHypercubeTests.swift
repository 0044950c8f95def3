import CapSimSweep
import Testing

@Suite struct LatinHypercubeTests {
    @Test func exactlyOnePointPerStratumPerDimension() {
        for n in [1, 2, 7, 100, 1000] {
            let lhs = LatinHypercube(dimension: 4, count: n, seed: 9)
            let points = lhs.allPoints()
            for j in 0..<4 {
                let strata = points.map { Int(($0[j] * Double(n)).rounded(.down)) }
                #expect(strata.sorted() == Array(0..<n), "n = \(n), dimension \(j)")
                #expect(points.allSatisfy { $0[j] >= 0 && $0[j] < 1 })
            }
        }
    }

    @Test func reproducibleFromTheSeedAndBatchIndependent() {
        let lhs = LatinHypercube(dimension: 3, count: 50, seed: 1)
        #expect(lhs.allPoints() == LatinHypercube(dimension: 3, count: 50, seed: 1).allPoints())
        #expect(lhs.points(20..<50) == Array(lhs.allPoints()[20...]))
        #expect(lhs.allPoints() != LatinHypercube(dimension: 3, count: 50, seed: 2).allPoints())
    }
}
