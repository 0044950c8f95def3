import Foundation
import Testing
import CapSimTestSupport

/// `prefectures.csv`: per year, sector and prefecture what closed and the workers displaced, with
/// the Chinese name from the regions table; its rows add up to the sector totals of projections.csv.
@Suite(.removesTemporaryFiles) struct PrefectureRowsTests {
    @Test(arguments: ["Scenarios/jilin-2016/scenario.yaml", "Scenarios/qinghai-2016/scenario.yaml"])
    func rowsAddUpToTheSectorTotalsAndCarryChineseNames(scenario: String) throws {
        let out = temporaryPath("prefectures")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLIHarness.run(["run", scenario, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try String(contentsOf: out.appendingPathComponent("prefectures.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first == ["scenario", "year", "sector", "region", "region_name", "metric", "unit", "value"])
        let body = rows.dropFirst()
        #expect(!body.isEmpty && body.allSatisfy { !$0[4].isEmpty })
        let projections = try Projections(out.appendingPathComponent("projections.csv"))
        var checked = 0
        for (metric, total) in [("workers_displaced", "workers_displaced"), ("capacity_closed", "capacity_closed"), ("units_closed", "units_closed")] {
            for key in Set(body.filter { $0[5] == metric }.map { "\($0[1])|\($0[2])" }) {
                let parts = key.split(separator: "|").map(String.init)
                let sum = body.filter { $0[5] == metric && $0[1] == parts[0] && $0[2] == parts[1] }
                    .reduce(0.0) { $0 + (Double($1[7]) ?? .nan) }
                let expected = try #require(projections(Int(parts[0]) ?? 0, parts[1], total),
                                            "\(total) \(key)")
                #expect(abs(sum - expected) < 1e-6, "\(metric) \(key): \(sum) vs \(expected)")
                checked += 1
            }
        }
        #expect(checked > 10)
    }

    @Test func jilinNamesItsPrefecturesInChinese() throws {
        let out = temporaryPath("prefectures")
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try CLIHarness.run(["run", "Scenarios/jilin-2016/scenario.yaml", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOf: out.appendingPathComponent("prefectures.csv"), encoding: .utf8)
        // Coal closed in Baishan in 2016 (the prefecture, not the province) with its displaced workers.
        #expect(text.contains("jilin-2016,2016,coal,baishan,白山市,workers_displaced,persons,"))
        #expect(text.contains(",yanbian,延边朝鲜族自治州,"))
    }
}
