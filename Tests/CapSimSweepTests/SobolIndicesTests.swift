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
}
