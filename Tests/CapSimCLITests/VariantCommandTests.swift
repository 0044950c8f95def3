import Foundation
import Testing
import CapSimTestSupport

/// The bundled 450 kt variant through the real binary: provenance in `validate`, the mines it moves
/// in `run`, and a chart of its comparison with the plan.
@Suite(.removesTemporaryFiles) struct VariantCommandTests {
    static let variant = "Scenarios/jilin-2016/variants/mine-threshold-450kt.yaml"

    @Test func validateShowsWhereEachValueCameFrom() throws {
        let r = try CLIHarness.run(["validate", Self.variant])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("extends: Scenarios/jilin-2016/scenario.yaml"))
        #expect(r.stdout.contains("rules[3].threshold = 45   from \(Self.variant):7"))
        #expect(r.stdout.contains("coal-under-30: size_below, sector coal, threshold 45 (from \(Self.variant):7) in 2018-2020"))
        // Tables listed by the base are found from the variant's folder.
        #expect(r.stdout.contains("  - Scenarios/jilin-2016/facilities/coal-mines.csv"))
    }

    @Test func runClosesTheMinesBetween30And45In2018() throws {
        let out = temporaryPath("variant")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLIHarness.run(["run", Self.variant, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let closures = try String(contentsOf: out.appendingPathComponent("closures.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        // Columns: scenario,year,facility_id,name,sector,kind,enterprise,owner,region,capacity_10kt,rule,reason
        let byRule = closures.dropFirst().filter { $0[1] == "2018" && $0[10] == "coal-under-30" }.map { $0[2] }
        let mines = try String(contentsOf: CLIHarness.packageRoot.appendingPathComponent("Scenarios/jilin-2016/facilities/coal-mines.csv"),
                               encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        // Header: id,name,kind,enterprise,owner,region,capacity_10kt,size,... ; every mine of 30-44
        // still open in 2018 closes under the raised threshold.
        let between = Set(mines.filter { (30..<45).contains(Double($0[7]) ?? -1) }.map { $0[0] })
        #expect(!between.isEmpty)
        #expect(Set(byRule).isSubset(of: between.union(mines.filter { (Double($0[7]) ?? 99) < 30 }.map { $0[0] })))
        #expect(between.isSubset(of: Set(closures.dropFirst().filter { Int($0[1])! <= 2018 }.map { $0[2] })))
    }

    @Test func compareAndChartShowTheDifference() throws {
        let out = temporaryPath("variant")
        defer { try? FileManager.default.removeItem(at: out) }
        let c = try CLIHarness.run(["compare", "Scenarios/jilin-2016/scenario.yaml", Self.variant, "--out", out.path])
        #expect(c.status == 0, "\(c.stderr)")
        let rows = try String(contentsOf: out.appendingPathComponent("comparison.csv"), encoding: .utf8).split(separator: "\n")
        #expect(rows.contains("capacity,coal,2020,10kt/yr,jilin-2016,jilin-2016-mine-450kt,2164,2051,-113,-5.221811"))
        let chart = try CLIHarness.run(["chart", "--compare", out.appendingPathComponent("comparison.csv").path,
                                        "--metric", "capacity", "--sector", "coal", "--out", out.path])
        #expect(chart.status == 0, "\(chart.stderr)")
        ImageCheck.expectPNG(try Data(contentsOf: out.appendingPathComponent("compare-capacity-coal.png")), "compare chart")
    }
}
