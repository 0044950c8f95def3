@testable import CapSimSweep
import Testing

@Suite struct SobolSequenceTests {
    @Test func firstPointsMatchPublishedValues() {
        // Points 1...7 of new-joe-kuo-6.21201 (as in SciPy's unscrambled `qmc.Sobol`).
        let s = SobolSequence(dimension: 3, count: 7, skip: 1)
        let points = s.allPoints()
        #expect(points.map { $0[0] } == [0.5, 0.75, 0.25, 0.375, 0.875, 0.625, 0.125])
        #expect(points.map { $0[1] } == [0.5, 0.25, 0.75, 0.375, 0.875, 0.125, 0.625])
        #expect(points.map { $0[2] } == [0.5, 0.25, 0.75, 0.625, 0.125, 0.875, 0.375])
        #expect(SobolSequence(dimension: 1, count: 1, skip: 0).point(0) == [0])
    }

    @Test func everyDimensionIsAZeroOneSequenceInBase2() {
        // Each dimension of a (t, s)-sequence puts exactly one of the first 2^m points (from 0)
        // in each dyadic interval of length 2^-m.
        let m = 10
        let s = SobolSequence(dimension: SobolSequence.maxDimension, count: 1 << m, skip: 0)
        let points = s.allPoints()
        #expect(SobolSequence.maxDimension >= 21)
        for j in 0..<s.dimension {
            let cells = points.map { Int($0[j] * Double(1 << m)) }
            #expect(cells.sorted() == Array(0..<(1 << m)), "dimension \(j + 1)")
        }
    }

    @Test func directionNumbersFollowTheRecurrence() {
        // Dimension 3 (s = 2, a = 1, m = 1, 3): m_3 = 2·m_2 ⊕ 4·m_1 ⊕ m_1 = 3, m_4 = 2·m_3 ⊕ 4·m_2 ⊕ m_2 = 6 ⊕ 12 ⊕ 3 = 9.
        let v = SobolSequence.directionNumbers(2)
        #expect(v[0] == 1 << 31 && v[1] == 3 << 30 && v[2] == 3 << 29 && v[3] == 9 << 28)
    }

    @Test func batchesGiveTheSamePoints() {
        let s = SobolSequence(dimension: 5, count: 300, skip: 1)
        #expect(SobolSequence(dimension: 5, count: 100, skip: 201).allPoints() == Array(s.allPoints()[200...]))
    }

    @Test func defaultSkipIsTheSmallestPowerOfTwoAtLeastTheCountAndTwo() {
        #expect([0, 1, 2, 3, 4, 5, 1000, 1024, 1025].map { SobolSequence.balancedSkip(count: $0) }
            == [2, 2, 2, 4, 4, 8, 1024, 1024, 2048])
        #expect(SobolSequence(dimension: 2, count: 1024).skip == 1024)
    }

    /// The design's own points (default skip), not the sequence from 0: with the origin dropped and
    /// no skip to a block boundary, points 1...2^k were not one per stratum.
    @Test(arguments: [1, 2, 4, 16, 256, 1024])
    func aPowerOfTwoPointsHaveOnePointPerStratumInEveryDimension(count: Int) {
        let s = SobolSequence(dimension: SobolSequence.maxDimension, count: count)
        let points = s.allPoints()
        for j in 0..<s.dimension {
            let cells = points.map { Int($0[j] * Double(count)) }
            #expect(cells.sorted() == Array(0..<count), "dimension \(j + 1), \(count) points")
        }
        #expect(points.allSatisfy { $0.allSatisfy { $0 > 0 && $0 < 1 } }, "the origin is not a design point")
    }
}
