@testable import CapSimRunner
import Testing

/// The printed rankings of `analyze sobol|morris`.
@Suite struct SensitivityReportTests {
    typealias S = SweepAnalysis.SobolRow

    @Test func sobolRanksByTotalIndexClipsAndSaysItPlainly() {
        let rows = [
            S(policy: "plan", parameter: "coal_price", first: -0.02, firstInterval: -0.08...0.04, total: 0.03, totalInterval: 0.01...0.06),
            S(policy: "plan", parameter: "training_success", first: 0.934, firstInterval: 0.88...1.04, total: 0.97, totalInterval: 0.9...1.05),
        ]
        let text = SensitivityReport.sobol(rows, target: .outcome("peak_unemployed"))
        let lines = text.split(separator: "\n").map(String.init)
        // Ranked by ST: training success first although it is listed second.
        let first = lines.firstIndex { $0.hasPrefix("1") && $0.contains("training_success") }
        let second = lines.firstIndex { $0.hasPrefix("2") && $0.contains("coal_price") }
        #expect(first != nil && second != nil && first! < second!)
        // Estimates and intervals clipped to [0, 1]: no negative index, no bound above 1.
        #expect(lines.contains { $0.contains("coal_price") && $0.contains("  0  ") && $0.contains("[0, 0.04]") })
        #expect(lines.contains { $0.contains("training_success") && $0.contains("[0.88, 1]") && $0.contains("[0.9, 1]") })
        #expect(!text.contains("-0.") && !text.contains("1.04"))
        #expect(text.contains("training_success explains about 93 % of the variance of peak_unemployed on its own "
                              + "(95 % interval 88-100 %), about 97 % with its interactions."))
    }

    @Test func sobolSaysWhenInteractionsMatterAndIntervalsAreWide() {
        let rows = [S(policy: "p", parameter: "a", first: 0.3, firstInterval: 0.05...0.6, total: 0.8, totalInterval: 0.6...0.95),
                    S(policy: "p", parameter: "b", first: 0.1, firstInterval: 0...0.2, total: 0.5, totalInterval: 0.3...0.7)]
        let text = SensitivityReport.sobol(rows, target: .series(metric: "debt", sector: "coal", year: 2020))
        #expect(text.contains("of the variance of debt (coal) in 2020"))
        #expect(text.contains("about 40 % together: interactions matter"))
        #expect(text.contains("The intervals are wide"))
    }

    @Test func morrisRanksByMuStar() {
        let rows = [SweepAnalysis.MorrisRow(policy: "p", parameter: "threshold", mu: -100, muStar: 120, sigma: 90),
                    SweepAnalysis.MorrisRow(policy: "p", parameter: "price", mu: 1000, muStar: 1200, sigma: 100)]
        let text = SensitivityReport.morris(rows, target: .outcome("coal_closed"))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("1") && $0.contains("price") && $0.contains("1,200.00") })
        #expect(text.contains("price has the largest effect on coal_closed (mu* 1,200.00), 10 times that of threshold."))
        #expect(!text.contains("sigma is large"))
    }
}
