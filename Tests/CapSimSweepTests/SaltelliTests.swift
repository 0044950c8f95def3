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
}
