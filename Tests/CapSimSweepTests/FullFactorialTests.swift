import CapSimSweep
import Testing

@Suite struct FullFactorialTests {
    @Test func gridIsRowMajorWithLastDimensionFastest() {
        let g = FullFactorial(levelCounts: [2, 3])
        #expect(g.count == 6 && g.dimension == 2)
        #expect(g.levelIndices(0) == [0, 0] && g.levelIndices(1) == [0, 1] && g.levelIndices(3) == [1, 0])
        #expect(g.point(5) == [0.75, 5.0 / 6])
        #expect(Set(g.allPoints().map { $0.map { $0.bitPattern } }).count == 6)
    }

    @Test func levelCentresHitEachEquallyWeightedDiscreteValue() throws {
        let d = try Distribution.discrete([1, 2, 3, 4], weights: [1, 1, 1, 1])
        let g = FullFactorial(levelCounts: [4])
        #expect(g.allPoints().map { d.quantile($0[0]) } == [1, 2, 3, 4])
    }
}
