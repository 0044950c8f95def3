import CapSimSweep
import Testing

@Suite struct SaltelliTests {
    @Test func sizesAndMatrixStructure() {
        let d = 4
        let n = 64
        let s = Saltelli(dimension: d, baseCount: n)
        #expect(s.count == n * (d + 2))
        let sobol = SobolSequence(dimension: 2 * d, count: n)
        for j in [0, 17, n - 1] {
            let base = sobol.point(j)
            let a = s.point(j * (d + 2))
            let b = s.point(j * (d + 2) + d + 1)
            #expect(a == Array(base[0..<d]) && b == Array(base[d...]))
            for i in 0..<d {
                let ab = s.point(j * (d + 2) + 1 + i)
                #expect(s.role(j * (d + 2) + 1 + i) == (j, .ab(i)))
                for k in 0..<d { #expect(ab[k] == (k == i ? b[k] : a[k])) }
            }
        }
    }

    /// With N a power of two, A's and B's columns (and so every AB_i's) have one point per stratum.
    @Test(arguments: [2, 8, 64, 1024])
    func baseMatricesOfAPowerOfTwoRowsAreBalanced(n: Int) {
        let d = 4
        let s = Saltelli(dimension: d, baseCount: n)
        for offset in [0, d + 1] {  // A, then B
            let rows = (0..<n).map { s.point($0 * (d + 2) + offset) }
            for i in 0..<d {
                #expect(rows.map { Int($0[i] * Double(n)) }.sorted() == Array(0..<n), "offset \(offset), input \(i), N \(n)")
            }
        }
    }

    /// A row with A = B gives AB_i = A = B: it carries no information about any input. With the
    /// origin alone skipped, the first row was ½ everywhere in both. Every d ≥ 2 the sequence
    /// allows, and every row of N = 2^13 (so of every smaller N too, whose rows come from the same blocks).
    @Test func noRowHasAEqualToB() {
        for d in 2...(SobolSequence.maxDimension / 2) {
            for n in [1, 2, 3, 1 << 13] {
                let s = Saltelli(dimension: d, baseCount: n)
                let equal = (0..<n).filter { s.point($0 * (d + 2)) == s.point($0 * (d + 2) + d + 1) }
                #expect(equal.isEmpty, "d \(d), N \(n): rows \(equal.prefix(5)) have A = B")
            }
        }
    }
}
