@testable import CapSimSweep
import Testing

@Suite struct SobolSequenceTests {
    @Test func firstPointsMatchPublishedValues() {
        // Points 1...7 of new-joe-kuo-6.21201 (as in SciPy's unscrambled `qmc.Sobol`).
        let s = SobolSequence(dimension: 3, count: 7)
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
        let s = SobolSequence(dimension: 5, count: 300)
        #expect(SobolSequence(dimension: 5, count: 100, skip: 201).allPoints() == Array(s.allPoints()[200...]))
    }
}
