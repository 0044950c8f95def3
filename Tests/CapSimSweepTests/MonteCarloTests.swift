import CapSimSweep
import Testing

@Suite struct MonteCarloTests {
    @Test func reproducibleAndIndependentOfCount() {
        let small = MonteCarlo(dimension: 3, count: 10, seed: 42)
        let large = MonteCarlo(dimension: 3, count: 1000, seed: 42)
        #expect(small.allPoints() == MonteCarlo(dimension: 3, count: 10, seed: 42).allPoints())
        #expect(small.allPoints() == large.points(0..<10))
        #expect(small.point(3) != MonteCarlo(dimension: 3, count: 10, seed: 43).point(3))
        // Batches in any order give the same points.
        #expect(large.points(500..<1000) + large.points(0..<500) == Array(large.allPoints()[500...]) + large.points(0..<500))
    }

    @Test func coordinatesAreUniformInTheOpenCube() {
        let mc = MonteCarlo(dimension: 2, count: 20_000, seed: 7)
        let points = mc.allPoints()
        #expect(points.allSatisfy { $0.allSatisfy { $0 > 0 && $0 < 1 } })
        for j in 0..<2 {
            let mean = points.reduce(0) { $0 + $1[j] } / Double(points.count)
            let variance = points.reduce(0) { $0 + ($1[j] - mean) * ($1[j] - mean) } / Double(points.count - 1)
            #expect(abs(mean - 0.5) < 0.01)  // sd of the mean ≈ 0.002
            #expect(abs(variance - 1.0 / 12) < 0.003)
        }
    }
}
