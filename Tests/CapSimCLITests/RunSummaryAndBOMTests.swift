import Foundation
import Testing
import CapSimTestSupport

/// `summary.json` of `capsim run`, and `--bom` on `run` and `compare`, through the real binary.
@Suite(.serialized, .removesTemporaryFiles) struct RunSummaryAndBOMTests {
    static let jilin = "Scenarios/jilin-2016/scenario.yaml"

    static func run(_ arguments: [String]) throws -> URL {
        let out = temporaryPath("out")
        let result = try CLIHarness.run(arguments + ["--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        return out
    }

    static func json(_ file: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: file)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func number(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }

    @Test func summaryTotalsEqualProjections() throws {
        let out = try Self.run(["run", Self.jilin])
        let p = try Projections(out.appendingPathComponent("projections.csv"))
        let summary = try Self.json(out.appendingPathComponent("summary.json"))
        #expect(summary["scenario"] as? String == "jilin-2016")
        #expect(summary["title"] as? String == "吉林省 2016-2020 去产能（煤炭、钢铁、水泥）")
        #expect(Self.number(summary["base_year"]) == 2015 && Self.number(summary["end_year"]) == 2020)
        #expect(Self.number(summary["schema_version"]) == 1)
        let years = 2016...2020

        let sectors = try #require(summary["sectors"] as? [[String: Any]])
        #expect(sectors.map { $0["sector"] as? String } == ["coal", "iron", "steel", "clinker", "grinding"])
        for s in sectors {
            let sector = try #require(s["sector"] as? String)
            func sum(_ metric: String) -> Double { years.reduce(0) { $0 + (p($1, sector, metric) ?? .nan) } }
            #expect(Self.number(s["capacity_base_10kt"]) == p(2015, sector, "capacity"), "\(sector)")
            #expect(Self.number(s["capacity_end_10kt"]) == p(2020, sector, "capacity"), "\(sector)")
            #expect(Self.number(s["units_base"]) == p(2015, sector, "units_operating"), "\(sector)")
            #expect(Self.number(s["units_end"]) == p(2020, sector, "units_operating"), "\(sector)")
            let byYear = try #require(s["capacity_closed_10kt_by_year"] as? [String: Any])
            #expect(Set(byYear.keys) == Set(years.map(String.init)))
            for y in years { #expect(Self.number(byYear[String(y)]) == p(y, sector, "capacity_closed"), "\(sector) \(y)") }
            #expect(Self.number(s["capacity_closed_10kt"]) == sum("capacity_closed"), "\(sector)")
            #expect(Self.number(s["capacity_opened_10kt"]) == sum("capacity_opened"), "\(sector)")
            #expect(Self.number(s["units_closed"]) == sum("units_closed"), "\(sector)")
            #expect(Self.number(s["units_opened"]) == sum("units_opened"), "\(sector)")
        }
        #expect(Self.number(try #require(sectors.first, "summary.json lists no sector")["capacity_closed_10kt"]) == 2733)  // 1405 + 724 + 604 (S000:L190)

        let workers = try #require(summary["workers"] as? [[String: Any]])
        #expect(!workers.isEmpty)
        for w in workers {
            let sector = try #require(w["sector"] as? String)
            #expect(Self.number(w["displaced_persons"]) == p(2020, sector, "workers_displaced_cumulative"), "\(sector)")
            #expect(Self.number(w["unresettled_end_persons"]) == p(2020, sector, "workers_waiting"), "\(sector)")
            let placed = try #require(w["placed_persons_by_channel"] as? [String: Any])
            #expect(!placed.isEmpty)
            for (channel, persons) in placed {
                #expect(Self.number(persons) == p(2020, sector, "workers_placed_cumulative.\(channel)"), "\(sector) \(channel)")
            }
        }

        let debt = try #require(summary["debt"] as? [[String: Any]])
        #expect(!debt.isEmpty)
        for d in debt {
            let sector = try #require(d["sector"] as? String)
            #expect(Self.number(d["debt_base_yuan"]) == p(2015, sector, "debt"), "\(sector)")
            #expect(Self.number(d["debt_end_yuan"]) == p(2020, sector, "debt"), "\(sector)")
            for (key, metric) in [("debt_swapped_yuan", "debt_swapped"), ("debt_stripped_yuan", "debt_stripped"),
                                  ("debt_written_off_yuan", "debt_written_off"), ("debt_repaid_yuan", "debt_repaid"),
                                  ("bankruptcies", "bankruptcies"), ("zombie_enterprise_years", "zombies")] {
                let total = years.reduce(0.0) { $0 + (p($1, sector, metric) ?? .nan) }
                // Summed before rounding to the cent, projections.csv rounds each year: 1 cent a year at most.
                let value = try #require(Self.number(d[key]), "\(sector) \(key)")
                #expect(abs(value - total) <= 0.05, "\(sector) \(key): \(value) vs \(total)")
            }
        }
        #expect((summary["shortfalls"] as? [Any])?.isEmpty == true)
        #expect((summary["blocked_openings"] as? [Any])?.isEmpty == true)

        // The same run gives the same bytes.
        let again = try Self.run(["run", Self.jilin])
        #expect(try Data(contentsOf: again.appendingPathComponent("summary.json"))
                == Data(contentsOf: out.appendingPathComponent("summary.json")))
    }

    @Test func summaryListsTheBlockedFurnace() throws {
        let copy = try CLIHarness.copyOfJilin()
        try CLIHarness.edit(copy.appendingPathComponent("scenario.yaml"),
                            replacing: "replacementRatio: 1.15", with: "replacementRatio: 1.25")
        let out = try Self.run(["run", copy.appendingPathComponent("scenario.yaml").path])
        let summary = try Self.json(out.appendingPathComponent("summary.json"))
        let blocked = try #require(summary["blocked_openings"] as? [[String: Any]])
        let openings = try CSVTable(out.appendingPathComponent("openings.csv")).rows.filter { $0["status"] == "blocked" }
        #expect(blocked.count == 1 && openings.count == 1)
        #expect(blocked.first?["facility_id"] as? String == openings.first?["facility_id"])
        #expect(Self.number(blocked.first?["credit_needed_10kt"]) == openings.first.flatMap { Double($0["credit_needed_10kt"]!) })
        #expect(blocked.first?["sector"] as? String == "iron")
    }

    /// Every CSV of `bom` is the CSV of `plain` after EF BB BF; every other file is byte-identical.
    func expectBOMVariant(_ bom: URL, of plain: URL, files: [String]) throws {
        for name in files {
            let withMark = try Data(contentsOf: bom.appendingPathComponent(name))
            let without = try Data(contentsOf: plain.appendingPathComponent(name))
            if name.hasSuffix(".csv") {
                #expect(Array(withMark.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(name)")
                #expect(withMark.dropFirst(3) == without, "\(name)")
                #expect(try CSVTable(bom.appendingPathComponent(name)).rows == CSVTable(plain.appendingPathComponent(name)).rows)
            } else {
                #expect(withMark == without, "\(name)")
                #expect(withMark.first == UInt8(ascii: "{"), "\(name) must not start with a byte-order mark")
            }
        }
    }

    @Test func bomOnRunPrefixesEveryCSVAndNothingElse() throws {
        let plain = try Self.run(["run", Self.jilin])
        let bom = try Self.run(["run", Self.jilin, "--bom"])
        let files = ["projections.csv", "closures.csv", "openings.csv", "prefectures.csv", "enterprises.csv", "summary.json"]
        try expectBOMVariant(bom, of: plain, files: files)
        let names = try FileManager.default.contentsOfDirectory(atPath: bom.path).sorted()
        #expect(names == files.sorted())
    }

    @Test func bomOnCompare() throws {
        let copy = try CLIHarness.copyOfJilin()
        try CLIHarness.edit(copy.appendingPathComponent("scenario.yaml"), replacing: "threshold: 400", with: "threshold: 450")
        let variant = copy.appendingPathComponent("scenario.yaml").path
        let plain = try Self.run(["compare", Self.jilin, variant])
        let bom = try Self.run(["compare", Self.jilin, variant, "--bom"])
        try expectBOMVariant(bom, of: plain, files: ["comparison.csv", "closure_changes.csv"])
        // Xinda's 450 m3 furnace closes in 2016 instead of 2019; its Chinese name survives the mark.
        let changes = try CSVTable(bom.appendingPathComponent("closure_changes.csv")).rows
        #expect(changes.count == 1)
        #expect(changes.first?["facility_id"] == "st-bf-xd450" && changes.first?["name"] == "鑫达 450m3 高炉")
        #expect(changes.first?["change"] == "earlier")
    }
}
