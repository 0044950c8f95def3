import CapSimCore
import CapSimIO
import CapSimScenario
import CapSimTestSupport
import Foundation
import Testing

/// The sanity warnings on crafted scenarios where each fires, on one where none may, and on the
/// bundled Jilin plan (its unspent funds, unmatched zombies and idle channels, issue 13).
@Suite(.removesTemporaryFiles) struct ScenarioWarningsTests {
    static let header = "id,name,kind,enterprise,owner,region,capacity_10kt,size,start_year,reserve_years,"
        + "unit_cost_yuan_per_t,price_yuan_per_t,logistics_km,safety_flag,workers,source"

    static func mine(_ id: String, region: String = "baishan", capacity: String = "20", size: String? = nil,
                     start: String = "2000") -> String {
        [id, "矿 \(id)", "coal_mine", "ent", "state", region, capacity, size ?? capacity, start, "20", "300", "320",
         "150", "0", "100", "test row"].joined(separator: ",")
    }

    /// Loads a scenario of `rows` with `extra` YAML (rules, targets) from a temporary folder and runs it.
    static func run(_ rows: [String], _ extra: String) throws -> (Scenario, BatchResult) {
        let dir = try temporaryFolder("warnings")
        defer { try? FileManager.default.removeItem(at: dir) }
        try ([header] + rows).joined(separator: "\n").appending("\n")
            .write(to: dir.appendingPathComponent("mines.csv"), atomically: true, encoding: .utf8)
        let yaml = "name: test\nbaseYear: 2015\nendYear: 2020\nfacilityTables:\n  - mines.csv\n" + extra
        let path = dir.appendingPathComponent("scenario.yaml")
        try yaml.write(to: path, atomically: true, encoding: .utf8)
        let scenario = try Scenario.load(path: path.path)
        return (scenario, Engine.run(scenario.batch()))
    }

    static func warning(_ ws: [ScenarioWarning], _ kind: ScenarioWarning.Kind, _ subject: String) -> ScenarioWarning? {
        ws.first { $0.kind == kind && $0.subject == subject }
    }

    static let rules = """
        rules:
          - id: small-2018
            sector: coal
            criterion: size_below
            threshold: 10
            from: 2018
            to: 2018
          - id: a-2019
            criterion: named
            facilities: [a]
            year: 2019
          - id: tiny
            sector: coal
            criterion: size_below
            threshold: 1
            from: 2016
            to: 2020
        targets:
          - id: programme
            sector: coal
            capacityClosedByYear: {2016: 0, 2017: 0}
            priority: [smallest]

        """

    @Test func eachWarningFiresWithItsReason() throws {
        let (scenario, result) = try Self.run(
            [Self.mine("a", size: "5"), Self.mine("b", size: "8"), Self.mine("c", capacity: "50"), Self.mine("d", capacity: "30"),
             Self.mine("lone", region: "baisan", capacity: "40"), Self.mine("tonnes", capacity: "60000", size: "60")],
            Self.rules)
        let ws = ScenarioWarnings.afterRun(scenario, result: result)
        // The named closure cannot fire: the size rule closed its unit a year earlier.
        let named = try #require(Self.warning(ws, .ruleNeverActs, "a-2019"))
        #expect(named.reason == "unit a closed by rule small-2018 in 2018")
        let tiny = try #require(Self.warning(ws, .ruleNeverActs, "tiny"))
        #expect(tiny.reason.contains("smallest size of the units still open 5 10kt/yr, threshold 1"), "\(tiny.reason)")
        #expect(Self.warning(ws, .targetNeverActs, "programme")?.reason == "asks for no capacity in 2016-2020")
        let lone = try #require(Self.warning(ws, .regionWithOneUnit, "baisan"))
        #expect(lone.reason == "used by one unit only (lone); did you mean 'baishan'?")
        let tonnes = try #require(Self.warning(ws, .valueOutOfRange, "tonnes"))
        #expect(tonnes.reason.hasPrefix("capacity 60000 万吨/年 is far from the median 35 of the 6 coal units"), "\(tonnes.reason)")
        // The rule that closed a and b is not warned about; nor are the units of ordinary size.
        #expect(Self.warning(ws, .ruleNeverActs, "small-2018") == nil)
        #expect(!ws.contains { $0.kind == .valueOutOfRange && $0.subject != "tonnes" })
        // validate knows the static ones only.
        let before = ScenarioWarnings.beforeRun(scenario)
        #expect(Set(before.map(\.subject)) == ["baisan", "tonnes", "programme"])
    }

    @Test func aCleanScenarioHasNoWarnings() throws {
        let (scenario, result) = try Self.run(
            [Self.mine("a", size: "5"), Self.mine("b", size: "8"), Self.mine("c", capacity: "50"), Self.mine("d", capacity: "30")],
            """
            rules:
              - id: small-2018
                sector: coal
                criterion: size_below
                threshold: 10
                from: 2018
                to: 2018
              - id: c-2019
                criterion: named
                facilities: [c]
                year: 2019
            targets:
              - id: programme
                sector: coal
                capacityClosedByYear: {2020: 10}
                priority: [smallest]

            """)
        #expect(result.closures.count == 4)
        #expect(ScenarioWarnings.afterRun(scenario, result: result) == [])
    }

    @Test func ruleWhoseUnitsWereAllClosedBeforeItsYearSaysByWhom() throws {
        let (scenario, result) = try Self.run(
            [Self.mine("a", size: "5"), Self.mine("b", size: "8"), Self.mine("c", capacity: "50")],
            """
            rules:
              - id: small-2016
                sector: coal
                criterion: size_below
                threshold: 10
                from: 2016
                to: 2016
              - id: small-2018
                sector: coal
                criterion: size_below
                threshold: 20
                from: 2018
                to: 2018

            """)
        let w = try #require(Self.warning(ScenarioWarnings.afterRun(scenario, result: result), .ruleNeverActs, "small-2018"))
        #expect(w.reason == "the 2 units meeting it (e.g. a) were all closed by its first year 2018, by rule small-2016")
    }

    @Test func aVariantThatChangesNothingIsWarnedAbout() throws {
        let (scenario, result) = try Self.run([Self.mine("a", size: "5"), Self.mine("b", size: "8")], Self.rules)
        #expect(ScenarioWarnings.variantWithoutEffect(scenario, result: result, baseResult: result) == nil)
        var variant = scenario
        variant.chain = ["base.yaml", "variant.yaml"]
        let same = try #require(ScenarioWarnings.variantWithoutEffect(variant, result: result, baseResult: result))
        #expect(same.kind == .variantWithoutEffect && same.reason.contains("leave every output of base.yaml as it was"))
        // A different result (one closure fewer) is an effect.
        var other = result
        other.closures.removeLast()
        #expect(ScenarioWarnings.variantWithoutEffect(variant, result: result, baseResult: other) == nil)
    }

    @Test func jilinReportsItsIdleLevers() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let scenario = try Scenario.load(path: root.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path)
        let ws = ScenarioWarnings.afterRun(scenario, result: Engine.run(scenario.batch()))
        // Issue 13: most of the award money and the job-retention refund are never spent.
        let award = try #require(Self.warning(ws, .fundUnspent, "central_award"))
        #expect(award.reason.hasPrefix("23.88 of 25.92 亿元 received (92 %) is unspent at the end of 2020"), "\(award.reason)")
        #expect(Self.warning(ws, .fundUnspent, "job_retention_refund") != nil)
        // 通钢矿业 was a zombie every year that no action matched; the scenario now merges it into
        // 通钢集团 (issue 13), so no zombie is left without an action.
        #expect(Self.warning(ws, .zombieWithoutAction, "通钢矿业公司") == nil)
        #expect(Self.warning(ws, .channelReceivesNobody, "public-welfare")?.reason == "its share is 0")
        #expect(Self.warning(ws, .channelReceivesNobody, "internal-retirement") != nil)
        // Channels that place workers and rules that close units are not listed.
        #expect(Self.warning(ws, .channelReceivesNobody, "coal-self-employment-training") == nil)
        #expect(Self.warning(ws, .ruleNeverActs, "coal-safety") == nil)
    }
}
