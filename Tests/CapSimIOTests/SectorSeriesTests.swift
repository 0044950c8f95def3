import CapSimCore
import CapSimIO
import CapSimScenario
import Foundation
import Testing
import CapSimTestSupport

/// The sweep's per-sector series against `projections.csv`, which sums the same quantities its own way.
@Suite(.removesTemporaryFiles) struct SectorSeriesTests {
    @Test func seriesEqualTheProvinceRowsOfProjections() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let scenario = try Scenario.load(path: root.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path)
        var batch = scenario.batch()
        // Two scenarios, so the scenario stride of every result layout is exercised.
        batch.scenarioNames = ["a", "b"]
        var cheaper = scenario.policy
        let coal = try #require(cheaper.sectors[.coal], "the Jilin scenario has no coal sector")
        cheaper.sectors[.coal]?.priceIndexByYear = coal.priceIndexByYear.mapValues { $0 * 0.7 }
        batch.policies = [scenario.policy, cheaper]
        let result = Engine.run(batch)
        let series = SectorSeries(result)
        var expected: [String: Double] = [:]
        for line in ProjectionTables.projections(result).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            try #require(f.count == 8, "projections.csv row with \(f.count) fields: \(line)")
            guard f[3] == "all", f[4] == "all" else { continue }
            expected[[f[0], f[1], f[2], f[5]].joined(separator: "|")] = Double(f[7])
        }
        #expect(series.columns.count * series.years.count * 2 == expected.count)
        #expect(Set(series.columns.map(\.metric)).isSuperset(of: ["capacity", "workers_unemployed", "debt", "debt.bank_loans", "debt_to_assets"]))
        for (s, name) in ["a", "b"].enumerated() {
            let values = series.values(result, scenario: s)
            for (c, column) in series.columns.enumerated() {
                for (y, year) in series.years.enumerated() {
                    let want = try #require(expected[[name, String(year), column.sector.rawValue, column.metric].joined(separator: "|")])
                    let got = values[c * series.years.count + y]
                    // projections.csv rounds: yuan to 2 decimals, other quantities to 6.
                    #expect(abs(got - want) <= 0.006 + abs(want) * 1e-12, "\(name) \(year) \(column.sector) \(column.metric)")
                }
            }
        }
        // The cheaper coal changes coal debt, so the two scenarios' series really differ.
        let differ = series.values(result, scenario: 0) != series.values(result, scenario: 1)
        #expect(differ)
        // Both scenarios in one pass give the same as one at a time (checked above against the CSV).
        let together = series.values(result, scenarios: 0..<2)
        let same = together == [series.values(result, scenario: 0), series.values(result, scenario: 1)]
        #expect(same)
    }
}
