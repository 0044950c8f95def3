import CapSimCore
import CapSimIO
import CapSimRunner
import CapSimScenario
import CapSimStore
import Foundation
import Testing
import CapSimTestSupport

/// A small Jilin sweep, shared by the runner tests.
enum SweepFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let jilin = root.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path

    static func text(design: String = "{kind: latin_hypercube, samples: 12}") -> String {
        """
        scenario: \(jilin)
        seed: 11
        design: \(design)
        parameters:
          - name: threshold
            path: rules[coal-under-30].threshold
            distribution: {kind: uniform, min: 20, max: 60}
          - name: coal_price
            path: sectors.coal.priceIndexByYear
            scale: true
            distribution: {kind: uniform, min: 0.6, max: 1.0}
          - name: success
            path: resettlement.transitions.trainingSuccessShare
            distribution: {kind: uniform, min: 0.2, max: 0.9}
        policies:
          - name: plan
          - name: welfare
            set:
              resettlement.channels[public-welfare].share: 0.3
        outcomes:
          - {name: coal_closed, metric: capacity_closed, sector: coal, years: [2016, 2018], aggregate: sum}
          - {name: peak_unemployed, metric: workers_unemployed, years: [2016, 2020], aggregate: max}
          - {name: coal_debt_2020, metric: debt, sector: coal, years: 2020, aggregate: last}
        """
    }

    static func runner(_ folder: URL, design: String = "{kind: latin_hypercube, samples: 12}") throws -> SweepRunner {
        try runner(folder, text: text(design: design))
    }

    static func runner(_ folder: URL, text: String) throws -> SweepRunner {
        let file = folder.appendingPathComponent("sweep.yaml")
        try Data(text.utf8).write(to: file)
        return try SweepRunner(spec: SweepSpec.load(path: file.path))
    }

    static func folder() throws -> URL {
        let url = temporaryPath("runner")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

@Suite(.removesTemporaryFiles) struct SweepRunnerTests {
    @Test func experimentsCrossPoliciesWithDesignPoints() throws {
        let runner = try SweepFixture.runner(SweepFixture.folder())
        #expect(runner.experimentCount == 24)
        let a = try runner.policy(experiment: 3), b = try runner.policy(experiment: 15)
        #expect(a.policyName == "plan" && b.policyName == "welfare")
        #expect(a.point == 3 && b.point == 3 && a.values == b.values)
        try #require(a.policy.rules.count > 3 && a.values.count > 1, "the Jilin plan has 4 rules, the fixture sweep 2 parameters or more")
        #expect(a.policy.rules[3].thresholdByYear[2018] == a.values[0])
        // A scaled path multiplies every year of the base path.
        let base = try #require(runner.spec.base.policy.sectors[.coal], "no coal sector").priceIndexByYear
        let drawn = try #require(a.policy.sectors[.coal], "no coal sector").priceIndexByYear
        for (year, x) in base { #expect(abs((drawn[year] ?? .nan) - x * a.values[1]) < 1e-12, "\(year)") }
        #expect(b.policy.resettlement?.channels.first { $0.id == "public-welfare" }?.share == 0.3)
        #expect(a.policy.resettlement?.channels.first { $0.id == "public-welfare" }?.share == 0)
    }

    @Test(arguments: [5, 17]) func outcomesEqualARunOfTheSameScenarioByHand(experiment: Int) throws {
        let runner = try SweepFixture.runner(SweepFixture.folder())
        let record = try #require(runner.records([experiment], threads: 1).first)
        // Build the experiment's scenario by hand, resolving every section (the runner re-resolves
        // only the sections its parameters touch), and run it alone.
        var document = runner.spec.policies[experiment / 12].document
        for (p, x) in zip(runner.spec.parameters, record.parameters) {
            document = try document.setting(p.path, to: x, scale: p.scale, origin: "test")
        }
        let scenario = try Scenario.load(document)
        let result = Engine.run(scenario.batch())
        let closed = (2016...2018).reduce(0.0) { $0 + result.value(.capacityClosed, group: AggregationGroup(sector: .coal), year: $1) }
        try #require(record.outcomes.count > 1, "the fixture sweep has 2 outcomes or more")
        #expect(record.outcomes[0] == closed)
        let unemployed = (2016...2020).map { y in
            Sector.allCases.compactMap { result.resettlement?.value("workers_unemployed", sector: $0, year: y) }.reduce(0, +)
        }
        #expect(record.outcomes[1] == unemployed.max())
        #expect(record.outcomes[1] > 0)
        #expect(record.series == SectorSeries(result).values(result, scenario: 0))
    }

    @Test func resultsDoNotDependOnThreadsOrBatches() throws {
        let runner = try SweepFixture.runner(SweepFixture.folder())
        let all = Array(0..<runner.experimentCount)
        let one = try runner.records(all, threads: 1)
        let two = try runner.records(all, threads: 2)
        let pieces = try [0..<5, 5..<17, 17..<24].flatMap { try runner.records(Array($0), threads: 2) }
        #expect(one == two)
        #expect(one == pieces)
        // The draws differ between points, so the outcomes really vary.
        #expect(Set(one.map { $0.outcomes[0] }).count > 3)
    }

    @Test func shardsMergeIntoTheWholeStore() throws {
        let folder = try SweepFixture.folder()
        let runner = try SweepFixture.runner(folder)
        let whole = try SweepStore.open(path: folder.appendingPathComponent("whole.sqlite").path, layout: runner.layout, shard: "1/1")
        try runner.run(Array(0..<runner.experimentCount), threads: 2, batchSize: 7, into: whole)
        try whole.refreshSummaries()
        var parts: [String] = []
        for k in 1...3 {
            let path = folder.appendingPathComponent("part\(k).sqlite").path
            let store = try SweepStore.open(path: path, layout: runner.layout, shard: "\(k)/3")
            try runner.run(Array(runner.experiments(shard: k, of: 3)), threads: 1, batchSize: 5, into: store)
            try store.close()
            parts.append(path)
        }
        #expect(runner.experiments(shard: 1, of: 3) == 0..<8 && runner.experiments(shard: 3, of: 3) == 16..<24)
        let merged = try SweepStore.merge(parts.reversed(), into: folder.appendingPathComponent("merged.sqlite").path)
        #expect(try merged.records() == whole.records())
        #expect(try merged.summaries() == whole.summaries())
        #expect(merged.shard == "1/1" && merged.layout == whole.layout)
        // Overlapping shards and stores of other sweeps are refused.
        #expect(throws: StoreError.self) {
            try SweepStore.merge([parts[0], parts[0]], into: folder.appendingPathComponent("twice.sqlite").path)
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("twice.sqlite").path))
    }

    @Test func summariesAreQuantilesOfTheStoredSeries() throws {
        let folder = try SweepFixture.folder()
        let runner = try SweepFixture.runner(folder)
        let store = try SweepStore.open(path: folder.appendingPathComponent("s.sqlite").path, layout: runner.layout, shard: "1/1")
        try runner.run(Array(0..<runner.experimentCount), threads: 2, batchSize: 100, into: store)
        try store.refreshSummaries()
        let column = try #require(runner.series.firstIndex { $0.metric == "capacity" && $0.sector == .coal })
        let y = try #require(runner.years.firstIndex(of: 2018))
        let values = try store.records().filter { $0.policy == "plan" }.map { $0.series[column * runner.years.count + y] }.sorted()
        let row = try #require(store.summaries(metric: "capacity", sector: "coal").first { $0.policy == "plan" && $0.year == 2018 })
        #expect(row.n == 12)
        #expect(row.p50 == (values[5] + values[6]) / 2)
        #expect(row.p05 == values[0] + 0.55 * (values[1] - values[0]))
        #expect(abs(row.mean - values.reduce(0, +) / 12) < 1e-9)
        #expect(row.p05 <= row.p25 && row.p25 <= row.p50 && row.p50 <= row.p75 && row.p75 <= row.p95)
        // Read in blocks of 7 cells (as a sweep too large for memory would be): the same summaries.
        let whole = try store.summaries()
        try store.refreshSummaries(memoryBudgetBytes: 7 * 8 * 12)
        #expect(try store.summaries() == whole)
    }

    @Test func fullFactorialTakesEveryGridValueWithEveryStratum() throws {
        let runner = try SweepFixture.runner(SweepFixture.folder(), text: """
            scenario: \(SweepFixture.jilin)
            seed: 1
            design: {kind: full_factorial}
            parameters:
              - name: threshold
                path: rules[coal-under-30].threshold
                grid: [45, 20]
              - name: success
                path: resettlement.transitions.trainingSuccessShare
                distribution: {kind: uniform, min: 0.2, max: 0.8}
                levels: 3
            """)
        #expect(runner.experimentCount == 6)
        let values = (0..<6).map { runner.parameterValues(point: $0) }
        #expect(values.map { $0[0] } == [45, 45, 45, 20, 20, 20])
        for (k, v) in values.enumerated() { #expect(abs(v[1] - (0.2 + 0.6 * (Double(k % 3) + 0.5) / 3)) < 1e-12) }
        let record = try runner.records([3], threads: 1)[0]
        #expect(record.parameters == values[3])
    }

    @Test func correlatedParametersHaveTheRankCorrelationOfTheCopula() throws {
        let runner = try SweepFixture.runner(SweepFixture.folder(), text: """
            scenario: \(SweepFixture.jilin)
            seed: 4
            design: {kind: latin_hypercube, samples: 4000}
            parameters:
              - name: coal
                path: sectors.coal.priceIndex
                distribution: {kind: uniform, min: 0.5, max: 1.5}
              - name: steel
                path: sectors.steel.priceIndex
                distribution: {kind: uniform, min: 0.5, max: 1.5}
            correlations:
              - {between: [coal, steel], rho: 0.7}
            """)
        let points = (0..<4000).map { runner.parameterValues(point: $0) }
        func ranks(_ x: [Double]) -> [Double] {
            var r = [Double](repeating: 0, count: x.count)
            for (rank, i) in x.indices.sorted(by: { x[$0] < x[$1] }).enumerated() { r[i] = Double(rank) }
            return r
        }
        let a = ranks(points.map { $0[0] }), b = ranks(points.map { $0[1] })
        let mean = Double(a.count - 1) / 2
        let cov = zip(a, b).reduce(0.0) { $0 + ($1.0 - mean) * ($1.1 - mean) }
        let variance = a.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) }
        let spearman = cov / variance
        // A Gaussian copula with correlation ρ has Spearman correlation (6/π) asin(ρ/2).
        #expect(abs(spearman - 6 / Double.pi * asin(0.35)) < 0.03, "Spearman \(spearman)")
        // Marginals stay uniform on [0.5, 1.5].
        #expect(points.allSatisfy { (0.5...1.5).contains($0[0]) && (0.5...1.5).contains($0[1]) })
        // And the hypercube keeps one point per stratum (a copula applied after it did not); the
        // method is part of the layout, so a store with copula points is not resumed.
        #expect(runner.layout.info["correlation_method"] == "iman-conover")
        for j in 0..<2 {
            #expect(Set(points.map { Int((($0[j] - 0.5) * 4000).rounded(.down)) }).count == 4000, "parameter \(j)")
        }
    }

    @Test func batchesFitTheMemoryBudget() throws {
        let runner = try SweepFixture.runner(SweepFixture.folder())
        // Jilin: 128 enterprises × 32 metrics × 6 years of accounts alone are 196,608 bytes.
        #expect(runner.bytesPerExperiment > 3 * 128 * 32 * 6 * 8)
        #expect(runner.bytesPerExperiment < 10_000_000)
        #expect(runner.batchSize() == 500)
        #expect(runner.batchSize(memoryBudgetBytes: runner.bytesPerExperiment * 7 + 1) == 7)
        #expect(runner.batchSize(memoryBudgetBytes: 1) == 1)
    }

    @Test func unknownOutcomeMetricsAreLocatedInTheSweepFile() throws {
        let text = SweepFixture.text().replacingOccurrences(of: "metric: workers_unemployed", with: "metric: workers_unemploy")
        #expect(text.contains("workers_unemploy,"))
        do {
            _ = try SweepFixture.runner(SweepFixture.folder(), text: text)
            Issue.record("an unknown outcome metric was accepted")
        } catch let error as ScenarioError {
            #expect(error.issues.count == 1)
            #expect(error.issues[0].line == 22 && error.issues[0].field == "outcomes[1].metric")
            #expect(error.issues[0].message.contains("no series 'workers_unemploy'"))
            #expect(error.issues[0].message.contains("workers_unemployed"))
        }
    }

    @Test func aStoreOfAnotherSweepIsNotResumed() throws {
        let folder = try SweepFixture.folder()
        let runner = try SweepFixture.runner(folder)
        let path = folder.appendingPathComponent("s.sqlite").path
        let store = try SweepStore.open(path: path, layout: runner.layout, shard: "1/1")
        try runner.run([0, 1], threads: 1, batchSize: 2, into: store)
        try store.close()
        let other = try SweepFixture.runner(folder, design: "{kind: latin_hypercube, samples: 13}")
        #expect(throws: StoreError.self) { try SweepStore.open(path: path, layout: other.layout, shard: "1/1") }
        #expect(throws: StoreError.self) { try SweepStore.open(path: path, layout: runner.layout, shard: "1/2") }
        #expect(try SweepStore.open(path: path, layout: runner.layout, shard: "1/1").completed() == [0, 1])
    }
}
