import CapSimSweep
import Numerics
import Testing

@Suite struct DistributionTests {
    @Test func normalQuantileMatchesKnownValuesWithinAcklamAccuracy() throws {
        // Reference values of Φ⁻¹ to 10+ digits; Acklam's relative error is below 1.15e-9.
        let known: [(Double, Double)] = [
            (0.975, 1.959963984540054), (0.5, 0), (0.841344746068543, 1.0),
            (0.001, -3.090232306167814), (0.02, -2.053748910631823), (0.99, 2.326347874040841),
            (1e-10, -6.361340902404056),
        ]
        for (u, z) in known {
            let q = Distribution.standardNormalQuantile(u)
            #expect(abs(q - z) <= 1.2e-9 * max(1, abs(z)), "Φ⁻¹(\(u)) = \(q), expected \(z)")
        }
        let n = try Distribution.normal(mean: 10, sd: 2)
        #expect(abs(n.quantile(0.975) - (10 + 2 * 1.959964)) < 1e-5)
        #expect(n.quantile(0) == -.infinity && n.quantile(1) == .infinity)
    }

    @Test func normalQuantileInvertsTheCDFEverywhere() {
        // Catches a wrong coefficient in any of the three regions: a relative error ε in z moves
        // Φ(z) by about ε |z| φ(z), so |Φ(Φ⁻¹(u)) − u| ≤ 1.15e-9 |z| φ(z) (plus rounding).
        for k in 1..<2000 {
            let u = Double(k) / 2000
            let z = Distribution.standardNormalQuantile(u)
            let density = Double.exp(-z * z / 2) / (2 * Double.pi).squareRoot()
            let back = Distribution.standardNormalCDF(z)
            #expect(abs(back - u) <= 1.2e-9 * abs(z) * density + 1e-15, "u = \(u)")
        }
    }

    @Test func uniformTriangularLognormalDiscreteQuantiles() throws {
        let u = try Distribution.uniform(2, 6)
        #expect(u.quantile(0) == 2 && u.quantile(0.25) == 3 && u.quantile(1) == 6)

        // Triangular(0, 1, 4): F(1) = 1/4; F⁻¹(1/16) = √(1/16·4·1) = 0.5; median = 4 − √(0.5·4·3) = 4 − √6.
        let t = try Distribution.triangular(0, mode: 1, 4)
        #expect(t.quantile(0.25).isApproximatelyEqual(to: 1))
        #expect(t.quantile(1.0 / 16).isApproximatelyEqual(to: 0.5))
        #expect(t.quantile(0.5).isApproximatelyEqual(to: 4 - 6.0.squareRoot()))
        #expect(t.quantile(0) == 0 && t.quantile(1) == 4)
        #expect(try Distribution.triangular(3, mode: 3, 3).quantile(0.7) == 3)

        // Lognormal(mu 1, sigma 0.5): median e, 97.5% point exp(1 + 0.5·1.959964).
        let l = try Distribution.lognormal(mu: 1, sigma: 0.5)
        #expect(l.quantile(0.5).isApproximatelyEqual(to: Double.exp(1), relativeTolerance: 1e-12))
        #expect(abs(l.quantile(0.975) - Double.exp(1 + 0.5 * 1.959963984540054)) < 1e-8)

        let d = try Distribution.discrete([10, 20, 30], weights: [1, 0, 3])
        #expect(d.quantile(0) == 10 && d.quantile(0.2499) == 10)
        #expect(d.quantile(0.25) == 30 && d.quantile(1) == 30)
    }

    @Test func invalidParametersAreRejected() {
        #expect(throws: DistributionError.lowerAboveUpper(lower: 2, upper: 1)) { try Distribution.uniform(2, 1) }
        #expect(throws: DistributionError.nonPositiveScale(parameter: "sd", value: 0)) {
            try Distribution.normal(mean: 0, sd: 0)
        }
        #expect(throws: DistributionError.nonPositiveScale(parameter: "sigma", value: -1)) {
            try Distribution.lognormal(mu: 0, sigma: -1)
        }
        #expect(throws: DistributionError.modeOutsideBounds(mode: 5, lower: 0, upper: 4)) {
            try Distribution.triangular(0, mode: 5, 4)
        }
        #expect(throws: DistributionError.lowerAboveUpper(lower: 4, upper: 0)) {
            try Distribution.triangular(4, mode: 2, 0)
        }
        #expect(throws: DistributionError.negativeWeight(index: 1, weight: -1)) {
            try Distribution.discrete([1, 2], weights: [2, -1])
        }
        #expect(throws: DistributionError.zeroTotalWeight) { try Distribution.discrete([1, 2], weights: [0, 0]) }
        #expect(throws: DistributionError.weightCountMismatch(values: 2, weights: 1)) {
            try Distribution.discrete([1, 2], weights: [1])
        }
        #expect(throws: DistributionError.noValues) { try Distribution.discrete([], weights: []) }
        #expect(throws: DistributionError.nonFinite(parameter: "mean", value: .infinity)) {
            try Distribution.normal(mean: .infinity, sd: 1)
        }
    }
}
