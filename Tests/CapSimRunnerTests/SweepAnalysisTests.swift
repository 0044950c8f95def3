import CapSimRunner
import CapSimStore
import CapSimSweep
import Foundation
import Testing
import CapSimTestSupport

/// The analysis commands' library, fed through a real store with functions of known sensitivity.
@Suite(.removesTemporaryFiles) struct SweepAnalysisTests {
    /// A store of `points` experiments of a design with `designPoints` points (default: all there).
    func store(design: String, points: Int, designPoints: Int? = nil, parameters: [String], extra: [String: String] = [:],
               outputs: (Int) -> Double) throws -> SweepStore {
        let folder = try SweepFixture.folder()
        let layout = StoreLayout(fingerprint: "test", experimentCount: points, parameterNames: parameters,
                                 outcomeNames: ["y"], seriesColumns: [], years: [2015],
                                 info: ["design": design, "design_points": String(designPoints ?? points)].merging(extra) { a, _ in a })
        let s = try SweepStore.open(path: folder.appendingPathComponent("s.sqlite").path, layout: layout, shard: "1/1")
        try s.append((0..<points).map {
            ExperimentRecord(experiment: $0, policy: "p", point: $0, parameters: parameters.map { _ in 0 },
                             outcomes: [outputs($0)], series: [])
        })
        return s
    }

    /// Ishigami (a = 7, b = 0.1) on [−π, π]³: S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
    @Test func sobolIndicesOfIshigamiMatchTheAnalyticValues() throws {
        let design = Saltelli(dimension: 3, baseCount: 4096)
        let s = try store(design: "saltelli", points: design.count, parameters: ["x1", "x2", "x3"]) { k in
            let x = design.point(k).map { -Double.pi + 2 * Double.pi * $0 }
            return sin(x[0]) + 7 * sin(x[1]) * sin(x[1]) + 0.1 * pow(x[2], 4) * sin(x[0])
        }
        let rows = try SweepAnalysis.sobol(s, .outcome("y"), resamples: 300)
        let a = 7.0, b = 0.1, pi4 = pow(Double.pi, 4), pi8 = pow(Double.pi, 8)
        let v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5
        let first = [0.5 * pow(1 + b * pi4 / 5, 2) / v, a * a / 8 / v, 0]
        let total = [(0.5 * pow(1 + b * pi4 / 5, 2) + 8 * b * b * pi8 / 225) / v, a * a / 8 / v, 8 * b * b * pi8 / 225 / v]
        #expect(rows.map(\.parameter) == ["x1", "x2", "x3"])
        for (j, r) in rows.enumerated() {
            #expect(r.firstInterval.contains(first[j]), "S\(j + 1) = \(r.first), interval \(r.firstInterval), analytic \(first[j])")
            #expect(r.totalInterval.contains(total[j]), "ST\(j + 1) = \(r.total), interval \(r.totalInterval), analytic \(total[j])")
            #expect(abs(r.first - first[j]) < 0.02 && abs(r.total - total[j]) < 0.02)
        }
        let csv = SweepAnalysis.sobolCSV(rows)
        #expect(csv.hasPrefix("policy,parameter,S1,S1_low,S1_high,ST,ST_low,ST_high\np,x1,0.31"))
    }

    @Test func morrisEffectsOfALinearFunction() throws {
        let design = Morris(dimension: 2, trajectories: 10, levels: 4, seed: 5)
        let s = try store(design: "morris", points: design.count, parameters: ["a", "b"],
                          extra: ["morris_levels": "4", "seed": "5"]) { k in 4 * design.point(k)[0] }
        let rows = try SweepAnalysis.morris(s, .outcome("y"))
        #expect(rows.map(\.muStar).map { ($0 * 1e9).rounded() / 1e9 } == [4, 0])
        #expect(rows.map(\.mu).map { ($0 * 1e9).rounded() / 1e9 } == [4, 0])
        #expect(rows.allSatisfy { abs($0.sigma) < 1e-9 })
    }

    @Test func morrisOfASeriesInOneYearSumsSectorsUnlessOneIsNamed() throws {
        let design = Morris(dimension: 2, trajectories: 6, levels: 4, seed: 9)
        let folder = try SweepFixture.folder()
        let layout = StoreLayout(
            fingerprint: "test", experimentCount: design.count, parameterNames: ["a", "b"], outcomeNames: ["y"],
            seriesColumns: [.init(metric: "m", sector: "coal", unit: "u"), .init(metric: "m", sector: "iron", unit: "u")],
            years: [2015, 2016],
            info: ["design": "morris", "design_points": String(design.count), "morris_levels": "4", "seed": "9"])
        let store = try SweepStore.open(path: folder.appendingPathComponent("s.sqlite").path, layout: layout, shard: "1/1")
        try store.append((0..<design.count).map { k in
            let u = design.point(k)
            // Cells: coal 2015, coal 2016, iron 2015, iron 2016.
            return ExperimentRecord(experiment: k, policy: "p", point: k, parameters: u, outcomes: [0],
                                    series: [100, 4 * u[0], 100, u[1]])
        })
        let both = try SweepAnalysis.morris(store, .series(metric: "m", sector: nil, year: 2016))
        #expect(both.map { ($0.muStar * 1e9).rounded() / 1e9 } == [4, 1])
        let coal = try SweepAnalysis.morris(store, .series(metric: "m", sector: "coal", year: 2016))
        #expect(coal.map { ($0.muStar * 1e9).rounded() / 1e9 } == [4, 0])
        #expect { try SweepAnalysis.morris(store, .series(metric: "m", sector: nil, year: 2020)) } throws: {
            "\($0)".contains("no year 2020")
        }
    }

    @Test func analysisRefusesTheWrongDesignOrAnUnfinishedSweep() throws {
        let lhs = try store(design: "latin_hypercube", points: 4, parameters: ["a"]) { Double($0) }
        #expect(throws: SweepAnalysis.Failure.self) { try SweepAnalysis.sobol(lhs, .outcome("y")) }
        #expect(throws: SweepAnalysis.Failure.self) { try SweepAnalysis.morris(lhs, .outcome("y")) }
        let unfinished = try store(design: "saltelli", points: 3, designPoints: 6, parameters: ["a"]) { Double($0) }
        #expect { try SweepAnalysis.sobol(unfinished, .outcome("y")) } throws: { "\($0)".contains("has 3 of 6 experiments") }
        let finished = try store(design: "saltelli", points: 6, parameters: ["a"]) { Double($0) }
        #expect { try SweepAnalysis.sobol(finished, .outcome("nope")) } throws: { "\($0)".contains("no outcome 'nope'; outcomes: y") }
    }

    /// Design facts a store made or edited outside capsim can carry are refused, never trapped
    /// on in the designs or estimators (which check them with preconditions).
    @Test func impossibleDesignsAndSettingsAreRefusedNotTrappedOn() throws {
        let oneRow = try store(design: "saltelli", points: 3, parameters: ["a"]) { Double($0) }
        #expect { try SweepAnalysis.sobol(oneRow, .outcome("y")) } throws: { "\($0)".contains("at least 2 base rows") }
        let huge = try store(design: "saltelli", points: 6, designPoints: 3 * (1 << 61), parameters: ["a"]) { Double($0) }
        #expect { try SweepAnalysis.sobol(huge, .outcome("y")) } throws: { "\($0)".contains("has 6 of \(3 * (1 << 61)) experiments") }
        let finished = try store(design: "saltelli", points: 6, parameters: ["a"]) { Double($0) }
        for bad in [0, 99, 100_001] {
            #expect { try SweepAnalysis.sobol(finished, .outcome("y"), resamples: bad) } throws: { "\($0)".contains("resamples: \(bad)") }
        }
        #expect(try SweepAnalysis.sobol(finished, .outcome("y"), resamples: 100).count == 1)
        let oddLevels = try store(design: "morris", points: 4, parameters: ["a"], extra: ["morris_levels": "3", "seed": "1"]) { Double($0) }
        #expect { try SweepAnalysis.morris(oddLevels, .outcome("y")) } throws: { "\($0)".contains("an even number of levels") }
        let missing = try store(design: "morris", points: 4, parameters: ["a"], extra: ["morris_levels": "4", "seed": "1"]) {
            $0 == 2 ? .nan : Double($0)
        }
        #expect { try SweepAnalysis.morris(missing, .outcome("y")) } throws: { "\($0)".contains("y is not a number in some experiments") }
    }
}
