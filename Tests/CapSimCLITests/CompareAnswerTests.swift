import Foundation
import Testing
import CapSimTestSupport

/// `capsim compare` answers in planner units: the headline block first, the ranked differences by
/// size within each unit with programme and all-sector totals, new and vanished rows apart, and
/// the filters. On the bundled variant Scenarios/jilin-2016/variants/mine-threshold-450kt.yaml.
@Suite(.serialized, .removesTemporaryFiles) struct CompareAnswerTests {
    static let base = "Scenarios/jilin-2016/scenario.yaml"
    static let variant = "Scenarios/jilin-2016/variants/mine-threshold-450kt.yaml"

    static func compare(_ extra: [String] = []) throws -> (CLIHarness.Output, URL) {
        let out = temporaryPath("answer")
        let result = try CLIHarness.run(["compare", base, variant, "--out", out.path] + extra)
        return (result, out)
    }

    @Test func headlineComesFirstWithTheReadmeFigures() throws {
        let (result, out) = try Self.compare()
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        // The headline block comes before any ranked table and before the closure changes.
        let headline = try #require(lines.firstIndex { $0.contains("vs jilin-2016: headline") })
        let ranked = try #require(lines.firstIndex { $0.hasPrefix("largest differences in") })
        #expect(headline < ranked)
        let block = lines[headline..<ranked]
        // README: coal capacity in 2020 is 113 lower (−5.2 %).
        let capacity = try #require(block.first { $0.hasPrefix("capacity at the end") && $0.contains("coal") })
        #expect(capacity.contains("2,164 万吨/年") && capacity.contains("2,051 万吨/年") && capacity.hasSuffix("-113 万吨/年"))
        // The unemployed are answered, whether or not they moved.
        let peak = try #require(block.first { $0.hasPrefix("unemployed at the peak") && $0.contains("all sectors") })
        #expect(peak.contains("15,591 人") && peak.contains("(2018)") && peak.hasSuffix("-784 人"))
        let written = try #require(block.first { $0.hasPrefix("debt written off") && $0.contains("all sectors") })
        #expect(written.hasSuffix("0.00 亿元"))

        let h = try CSVTable(out.appendingPathComponent("headline_comparison.csv"))
        let row = try #require(h.rows.first { $0["key"] == "capacity_end" && $0["sector"] == "coal" })
        #expect(row["base_value"] == "2164" && row["variant_value"] == "2051" && row["difference"] == "-113")
        #expect(row["name_zh"] == "期末产能" && row["unit"] == "万吨/年")
        let end = try #require(h.rows.first { $0["key"] == "workers_unemployed_end" && $0["sector"] == "coal" })
        #expect(end["base_value"] == "9251")
    }

    @Test func rankedBySizeInPlannerUnitsWithNewRowsApart() throws {
        let (result, out) = try Self.compare()
        #expect(result.status == 0, "\(result.stderr)")
        let t = try CSVTable(out.appendingPathComponent("comparison_ranked.csv"))
        #expect(t.header == ["base", "variant", "change", "rank", "metric", "name_zh", "name_en", "sector", "region", "period", "unit",
                             "base_value", "variant_value", "difference", "difference_pct"])
        // Within each unit, ranks 1, 2, ... by non-increasing |difference|.
        for unit in Set(t.rows.map { $0["unit"]! }) {
            let changed = t.rows.filter { $0["unit"] == unit && $0["change"] == "changed" }
            #expect(changed.map { $0["rank"]! } == changed.indices.map { String($0 + 1) }, "\(unit)")
            let sizes = changed.map { abs(Double($0["difference"]!) ?? .nan) }
            #expect(zip(sizes, sizes.dropFirst()).allSatisfy { $0 >= $1 }, "\(unit)")
        }
        let top = try #require(t.rows.first { $0["unit"] == "万吨/年" })
        #expect(top["metric"] == "capacity" && top["sector"] == "coal" && top["difference"] == "-113")
        // Money is in 亿元, not yuan; a value from 0 (the asset_write_down coal 2020) is not ranked.
        #expect(!t.rows.contains { $0["unit"] == "yuan" })
        for r in t.rows where r["change"] != "changed" {
            #expect(r["rank"] == "" && (r["change"] == "new" ? Double(r["base_value"]!) == 0 : Double(r["variant_value"]!) == 0))
        }
        #expect(t.rows.contains { $0["change"] == "new" && $0["metric"] == "capacity_closed" && $0["period"] == "2020" })
        // Programme total of a flow is the sum of its years; all-sector total of persons is the sum of sectors.
        let closed = t.rows.filter { $0["metric"] == "capacity_closed" && $0["sector"] == "coal" && $0["change"] == "changed" }
        #expect(closed.first { $0["period"] == "2016-2020" }?["difference"] == "113")
        let displaced = try #require(t.rows.first { $0["metric"] == "workers_displaced" && $0["sector"] == "all" && $0["period"] == "2016-2020" })
        #expect(displaced["difference"] == "768")
        // Tonnes of different products are not added across sectors.
        #expect(!t.rows.contains { $0["sector"] == "all" && ($0["unit"] == "万吨/年" || $0["unit"] == "万吨") })
    }

    @Test func filtersKeepOnlyWhatIsAsked() throws {
        let (result, out) = try Self.compare(["--metric", "workers_*", "--sector", "coal", "--years", "2018-2019"])
        #expect(result.status == 0, "\(result.stderr)")
        let t = try CSVTable(out.appendingPathComponent("comparison_ranked.csv"))
        #expect(!t.rows.isEmpty)
        #expect(t.rows.allSatisfy { $0["metric"]!.hasPrefix("workers_") && $0["sector"] == "coal" })
        #expect(Set(t.rows.map { $0["period"]! }).isSubset(of: ["2018", "2019", "2018-2019"]))
        // The programme total is over the asked years: displaced in 2018 and 2019 (2019: none in either run).
        let total = try #require(t.rows.first { $0["metric"] == "workers_displaced" && $0["period"] == "2018-2019" })
        #expect(total["difference"] == "-2009")
    }

    @Test func regionFilterRanksThatPrefecturesCapacity() throws {
        let (result, out) = try Self.compare(["--region", "liaoyuan", "--metric", "capacity"])
        #expect(result.status == 0, "\(result.stderr)")
        let t = try CSVTable(out.appendingPathComponent("comparison_ranked.csv"))
        #expect(!t.rows.isEmpty && t.rows.allSatisfy { $0["region"] == "liaoyuan" && $0["metric"] == "capacity" })
        // 辽源矿业保留矿井5 (coal-s41, 44 万吨/年, liaoyuan) newly closes in 2018 under the 45 threshold.
        let end = try #require(t.rows.first { $0["sector"] == "coal" && $0["period"] == "2020" })
        #expect(end["difference"] == "-44")
        // A stock's programme total is its value at the last year.
        #expect(t.rows.first { $0["sector"] == "coal" && $0["period"] == "2016-2020" }?["difference"] == "-44")
        // The headline stays the province's.
        #expect(result.stdout.contains("capacity at the end 期末产能"))
    }

    @Test func badFiltersAreClearErrors() throws {
        for (args, message) in [(["--sector", "cole"], "unknown sector 'cole'"), (["--years", "2019-2016"], "--years"),
                                (["--metric", "capacityy"], "no metric 'capacityy' in these runs; did you mean 'capacity'?"),
                                (["--region", "baisan"], "no region 'baisan'"),
                                (["--years", "2030-2035"], "outside the simulated years 2016-2020")] {
            let (result, out) = try Self.compare(args)
            #expect(result.status != 0, "\(args)")
            #expect(result.stderr.contains(message), "\(args): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "\(args): nothing written")
        }
    }
}
