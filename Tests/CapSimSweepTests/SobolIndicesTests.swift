import CapSimSweep
import Numerics
import Testing

@Suite struct SobolIndicesTests {
    /// Ishigami: f = sin x1 + a sin² x2 + b x3⁴ sin x1 on [−π, π]³ (Ishigami and Homma 1990).
    static func ishigami(_ u: [Double], a: Double = 7, b: Double = 0.1) -> Double {
        let x = u.map { -Double.pi + 2 * Double.pi * $0 }
        let s1 = Double.sin(x[0])
        let s2 = Double.sin(x[1])
        return s1 + a * s2 * s2 + b * Double.pow(x[2], 4) * s1
    }

    /// Analytic indices: V1 = ½(1 + bπ⁴/5)², V2 = a²/8, V13 = b²π⁸(1/18 − 1/50), V = V1 + V2 + V13.
    static func analytic(a: Double = 7, b: Double = 0.1) -> (first: [Double], total: [Double]) {
        let pi4 = Double.pow(Double.pi, 4)
        let v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5)
        let v2 = a * a / 8
        let v13 = b * b * pi4 * pi4 * (1.0 / 18 - 1.0 / 50)
        let v = v1 + v2 + v13
        return ([v1 / v, v2 / v, 0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    @Test func analyticValuesAreTheQuotedOnes() {
        let (s, t) = Self.analytic()
        #expect(abs(s[0] - 0.3139) < 1e-4 && abs(s[1] - 0.4424) < 1e-4)
        #expect(abs(t[0] - 0.5576) < 1e-4 && abs(t[2] - 0.2437) < 1e-4)
    }

    @Test func ishigamiIndicesWithinTheirBootstrapIntervals() {
        let design = Saltelli(dimension: 3, baseCount: 1 << 13)
        let y = design.allPoints().map { Self.ishigami($0) }
        let result = SobolIndices(design: design, outputs: y, resamples: 500, seed: 99)
        let (s, t) = Self.analytic()
        for i in 0..<3 {
            #expect(abs(result.first[i] - s[i]) < 0.05, "S\(i + 1) = \(result.first[i]), expected \(s[i])")
            #expect(abs(result.total[i] - t[i]) < 0.05, "ST\(i + 1) = \(result.total[i]), expected \(t[i])")
            #expect(result.firstInterval[i].contains(s[i]), "S\(i + 1) interval \(result.firstInterval[i])")
            #expect(result.totalInterval[i].contains(t[i]), "ST\(i + 1) interval \(result.totalInterval[i])")
            #expect(result.firstInterval[i].upperBound - result.firstInterval[i].lowerBound < 0.1)
        }
    }

    @Test func bootstrapIsReproducibleFromTheSeed() {
        let design = Saltelli(dimension: 3, baseCount: 256)
        let y = design.allPoints().map { Self.ishigami($0) }
        let a = SobolIndices(design: design, outputs: y, resamples: 50, seed: 1)
        #expect(a == SobolIndices(design: design, outputs: y, resamples: 50, seed: 1))
        #expect(a.firstInterval != SobolIndices(design: design, outputs: y, resamples: 50, seed: 2).firstInterval)
    }

    /// `f → scale · f + shift` for every output.
    static func transformed(_ y: [Double], scale: Double, shift: Double) -> [Double] { y.map { scale * $0 + shift } }

    static func expectClose(_ a: SobolIndices, _ b: SobolIndices, within tolerance: Double, _ what: String) {
        for i in a.first.indices {
            #expect(abs(a.first[i] - b.first[i]) < tolerance, "\(what): S\(i + 1) \(a.first[i]) vs \(b.first[i])")
            #expect(abs(a.total[i] - b.total[i]) < tolerance, "\(what): ST\(i + 1) \(a.total[i]) vs \(b.total[i])")
            for (x, y) in [(a.firstInterval[i], b.firstInterval[i]), (a.totalInterval[i], b.totalInterval[i])] {
                #expect(abs(x.lowerBound - y.lowerBound) < tolerance && abs(x.upperBound - y.upperBound) < tolerance,
                        "\(what): interval \(x) vs \(y)")
            }
        }
    }

    /// The indices are ratios of variances, so they cannot change when every output is shifted or
    /// scaled; the uncentred first-order estimator moved by 0.05 on the bundled sweep when
    /// 10 × the mean was added. The only differences left are rounding, of order the shift over
    /// the outputs' standard deviation times 1e-16 per term (at most 1e4 here: far below 1e-9).
    @Test(arguments: [(1.0, 35.0), (1.0, -1e3), (1e6, 0.0), (-3.0, 0.0), (2.5e-4, 7.0)])
    func indicesAndIntervalsAreInvariantUnderShiftAndScale(scale: Double, shift: Double) {
        let design = Saltelli(dimension: 3, baseCount: 1024)
        let y = design.allPoints().map { Self.ishigami($0) }
        let plain = SobolIndices(design: design, outputs: y, resamples: 200, seed: 5)
        let moved = SobolIndices(design: design, outputs: Self.transformed(y, scale: scale, shift: shift),
                                 resamples: 200, seed: 5)
        // Intervals scale with nothing, but a negative scale keeps them the same way round too.
        Self.expectClose(plain, moved, within: 1e-9, "\(scale) f + \(shift)")
    }

    /// Analytic indices, with a tolerance from N: at N = 2^13 the bootstrap half-widths SALib and
    /// capsim report are 0.01-0.02 (a Monte Carlo error bound; quasi-random points do better), so
    /// 0.02 is about two standard errors of the worst index, and the design is fixed (no flakiness).
    @Test func ishigamiIndicesAgreeWithTheAnalyticOnes() {
        let design = Saltelli(dimension: 3, baseCount: 1 << 13)
        let y = design.allPoints().map { Self.ishigami($0) }
        let r = SobolIndices(design: design, outputs: y, resamples: 100, seed: 3)
        let (s, t) = Self.analytic()
        for i in 0..<3 {
            #expect(abs(r.first[i] - s[i]) < 0.02, "S\(i + 1) = \(r.first[i]), analytic \(s[i])")
            #expect(abs(r.total[i] - t[i]) < 0.02, "ST\(i + 1) = \(r.total[i]), analytic \(t[i])")
        }
    }

    /// SALib 1.6.0's indices and 95 % half-widths on the same design points and function
    /// (scripts/salib-ishigami-reference.py prints them; its header says how they were made).
    static let salibReference: [(n: Int, first: [Double], firstHalfWidth: [Double], total: [Double], totalHalfWidth: [Double])] = [
        (1 << 10, [0.316832, 0.443763, 0.012203], [0.059535, 0.050504, 0.056825],
         [0.555860, 0.441898, 0.244675], [0.083838, 0.040625, 0.026388]),
        (1 << 13, [0.315857, 0.442419, 0.002085], [0.021241, 0.019165, 0.019930],
         [0.558022, 0.442426, 0.243857], [0.030152, 0.014589, 0.009407]),
    ]

    /// Point estimates equal SALib's up to its conventions (variance with divisor 2N instead of
    /// 2N − 1, outputs centred by the mean of all N (d + 2) outputs instead of the 2N on A and B):
    /// both differ by O(1/N), under 1e-3 at N = 2^10 and 2e-4 at N = 2^13. Interval half-widths are
    /// bootstraps with other random draws (and SALib's are normal-theory, 1.96 standard deviations),
    /// so they agree to within 25 %; the uncentred estimator's were 3.5-7 times SALib's.
    @Test func indicesAgreeWithSALib() {
        for ref in Self.salibReference {
            let design = Saltelli(dimension: 3, baseCount: ref.n)
            let y = design.allPoints().map { Self.ishigami($0) }
            let r = SobolIndices(design: design, outputs: y, resamples: 1000, seed: 11)
            let tolerance = ref.n == 1 << 10 ? 1e-3 : 2e-4
            for i in 0..<3 {
                #expect(abs(r.first[i] - ref.first[i]) < tolerance, "N \(ref.n): S\(i + 1) \(r.first[i]) vs SALib \(ref.first[i])")
                #expect(abs(r.total[i] - ref.total[i]) < tolerance, "N \(ref.n): ST\(i + 1) \(r.total[i]) vs SALib \(ref.total[i])")
                let firstHalf = (r.firstInterval[i].upperBound - r.firstInterval[i].lowerBound) / 2
                let totalHalf = (r.totalInterval[i].upperBound - r.totalInterval[i].lowerBound) / 2
                #expect(abs(firstHalf / ref.firstHalfWidth[i] - 1) < 0.25, "N \(ref.n): S\(i + 1) half-width \(firstHalf) vs SALib \(ref.firstHalfWidth[i])")
                #expect(abs(totalHalf / ref.totalHalfWidth[i] - 1) < 0.25, "N \(ref.n): ST\(i + 1) half-width \(totalHalf) vs SALib \(ref.totalHalfWidth[i])")
            }
        }
    }
}
