import Foundation
import Testing
import CapSimTestSupport

/// End to end through the real binary: the Jilin plan's figures (S000:L163, L165, L180, L190).
@Suite(.serialized, .removesTemporaryFiles) struct RunCommandTests {
    static func runJilin(_ scenario: URL? = nil) throws -> (CLIHarness.Output, URL) {
        let out = temporaryPath("out")
        let path = scenario?.appendingPathComponent("scenario.yaml").path ?? "Scenarios/jilin-2016/scenario.yaml"
        let result = try CLIHarness.run(["run", path, "--out", out.path])
        return (result, out)
    }

    @Test func jilinReproducesEveryPlanFigure() throws {
        let (result, out) = try Self.runJilin()
        #expect(result.status == 0, "\(result.stderr)")
        let p = try Projections(out.appendingPathComponent("projections.csv"))

        // Coal: 157 mines, 4897 before; 88/1405, 32/724, 12/604 closed; 25 mines, 2164 left.
        #expect(p(2015, "coal", "units_operating") == 157)
        #expect(p(2015, "coal", "capacity") == 4897)
        for (year, units, cap) in [(2016, 88.0, 1405.0), (2017, 32, 724), (2018, 12, 604), (2019, 0, 0), (2020, 0, 0)] {
            #expect(p(year, "coal", "units_closed") == units, "coal units closed \(year)")
            #expect(p(year, "coal", "capacity_closed") == cap, "coal capacity closed \(year)")
        }
        #expect(p(2018, "coal", "units_operating") == 25)
        #expect(p(2018, "coal", "capacity") == 2164)
        #expect(p(2020, "coal", "capacity") == 2164)
        // State / private split of each year's closures (S000:L190).
        for (year, owner, units, cap) in [(2016, "state", 12.0, 736.0), (2016, "private", 76, 669),
                                          (2017, "state", 3, 300), (2017, "private", 29, 424),
                                          (2018, "state", 5, 467), (2018, "private", 7, 137)] {
            #expect(p(year, "coal", "units_closed", owner: owner) == units, "\(owner) units \(year)")
            #expect(p(year, "coal", "capacity_closed", owner: owner) == cap, "\(owner) capacity \(year)")
        }

        // Ironmaking: -40, -80, 0, -60, -60 with +104 from the 1080 m3 replacement; net -136.
        for (year, cap) in [(2016, 40.0), (2017, 80), (2018, 0), (2019, 60), (2020, 60)] {
            #expect(p(year, "iron", "capacity_closed") == cap, "iron closed \(year)")
        }
        #expect(p(2020, "iron", "capacity_opened") == 104)
        let ironBase = try #require(p(2015, "iron", "capacity"))
        #expect(p(2020, "iron", "capacity") == ironBase - 136)
        // Steelmaking: -48 in 2016, -60 in 2017; net -108.
        #expect(p(2016, "steel", "capacity_closed") == 48)
        #expect(p(2017, "steel", "capacity_closed") == 60)
        let steelBase = try #require(p(2015, "steel", "capacity"))
        #expect(p(2020, "steel", "capacity") == steelBase - 108)

        // Cement: clinker 5/315, 3/276, 2/197; grinding 3/433, 4/577, 2/289 (S000:L165, L198).
        for (year, lines, clinker, stations, grinding) in [(2016, 5.0, 315.0, 3.0, 433.0), (2017, 3, 276, 4, 577),
                                                           (2018, 2, 197, 2, 289)] {
            #expect(p(year, "clinker", "units_closed") == lines)
            #expect(p(year, "clinker", "capacity_closed") == clinker)
            #expect(p(year, "grinding", "units_closed") == stations)
            #expect(p(year, "grinding", "capacity_closed") == grinding)
        }

        // Named units close in their plan year, with the rule that closed them.
        let closures = try String(contentsOf: out.appendingPathComponent("closures.csv"), encoding: .utf8)
        #expect(closures.split(separator: "\n").count == 1 + 132 + 1 + 2 + 1 + 1 + 1 + 10 + 9 + 1)
        #expect(closures.contains(",2016,") && closures.contains("永安煤矿"))
        let yongan = closures.split(separator: "\n").first { $0.contains("永安煤矿") }
        #expect(yongan?.hasPrefix("jilin-2016,2016,") == true)
        let xian = closures.split(separator: "\n").first { $0.contains("西安煤矿二区") }
        #expect(xian?.hasPrefix("jilin-2016,2017,") == true)
        let openings = try String(contentsOf: out.appendingPathComponent("openings.csv"), encoding: .utf8)
        #expect(openings.contains(",2020,") && openings.contains(",opened,"))
        #expect(result.stdout.contains("coal") && result.stdout.contains("157->25"))
    }

    @Test func raisingTheMineThresholdClosesMoreIn2018() throws {
        let copy = try CLIHarness.copyOfJilin()
        let yaml = copy.appendingPathComponent("scenario.yaml")
        let text = try String(contentsOf: yaml, encoding: .utf8)
        // The general size rule of S000:L56 (every mine under 30万吨 closes) from 2018 on.
        let rule = try #require(text.range(of: "id: coal-under-30"))
        let after = text[rule.upperBound...]
        let threshold = try #require(after.range(of: "threshold: 30"))
        try (text[..<threshold.lowerBound] + "threshold: 45" + text[threshold.upperBound...])
            .write(to: yaml, atomically: true, encoding: .utf8)

        let (result, out) = try Self.runJilin(copy)
        #expect(result.status == 0, "\(result.stderr)")
        let p = try Projections(out.appendingPathComponent("projections.csv"))
        let closed2018 = try #require(p(2018, "coal", "capacity_closed"))
        #expect(closed2018 > 604)
        #expect(try #require(p(2018, "coal", "capacity")) < 2164)
        #expect(p(2016, "coal", "capacity_closed") == 1405)
    }

    @Test func raisingTheFurnaceThresholdBringsXindaForward() throws {
        let copy = try CLIHarness.copyOfJilin()
        try CLIHarness.edit(copy.appendingPathComponent("scenario.yaml"),
                            replacing: "threshold: 400", with: "threshold: 450")
        let (result, out) = try Self.runJilin(copy)
        #expect(result.status == 0, "\(result.stderr)")
        let p = try Projections(out.appendingPathComponent("projections.csv"))
        #expect(p(2016, "iron", "capacity_closed") == 100)  // 350 m3 (40) and Xinda's 450 m3 (60)
        #expect(p(2019, "iron", "capacity_closed") == 0)
    }

    @Test func aStricterReplacementRatioBlocksTheNewFurnace() throws {
        let copy = try CLIHarness.copyOfJilin()
        try CLIHarness.edit(copy.appendingPathComponent("scenario.yaml"),
                            replacing: "replacementRatio: 1.15", with: "replacementRatio: 1.25")
        let (result, out) = try Self.runJilin(copy)
        #expect(result.status == 0, "\(result.stderr)")
        let p = try Projections(out.appendingPathComponent("projections.csv"))
        #expect(p(2020, "iron", "capacity_opened") == 0)
        #expect(result.stdout.contains("did not open"))
        let openings = try String(contentsOf: out.appendingPathComponent("openings.csv"), encoding: .utf8)
        #expect(openings.contains(",blocked,"))
    }
}
