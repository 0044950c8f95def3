import CapSimCore
import CapSimScenario
import Foundation
import Testing

/// `sectors.X.market` (docs/SCENARIO-FORMAT.md, "Markets"): values read, bad values located, and
/// the bundled Jilin market variants (docs/MODEL.md §2.7; Scenarios/jilin-2016/README.md).
@Suite struct MarketLoadingTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func jilin(_ file: String) throws -> Scenario {
        try Scenario.load(path: repository.appendingPathComponent("Scenarios/jilin-2016/" + file).path)
    }

    @Test func marketKeysAreReadWithTheirDefaults() throws {
        let f = TempFolder()
        f.write("mines.csv", standardMines)
        let path = f.write("scenario.yaml", scenarioText("""
            sectors:
              coal:
                market:
                  demand: 12
                  demandByYear: {2017: 9}
                  elasticity: 0.8
                  costReductionRate: 0.1

            """))
        let s = try Scenario.load(path: path)
        let m = try #require(s.policy.sectors[.coal]?.market)
        #expect(m == SectorMarket(demand10kt: 12, demandByYear: [2017: 9], elasticity: 0.8, costReductionRate: 0.1))
        #expect(s.defaulted.contains("sectors.coal.market.priceIndexCap"))
        #expect(s.policy.sectors[.iron]?.market == nil)
    }

    @Test func badMarketValuesAreLocated() {
        let f = TempFolder()
        let yaml = scenarioText("""
            sectors:
              coal:
                market:
                  demand: 0
                  demandByYear: {2017: -3}
                  elasticity: -0.5
                  referenceUtilisation: 1.2
                  priceIndexFloor: 3
                  priceIndexCap: 2
                  costReductionRate: 1
                  investmentPaybackYears: 500
              iron:
                market:
                  demand: 10

            """)
        let loaded = load(yaml: yaml, folder: f)
        let file = loaded.yaml
        func at(_ marker: String, _ field: String, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
            expectIssue(loaded.issues, file: file, line: lineOf(marker, in: yaml), field: field, message: message,
                        sourceLocation: sourceLocation)
        }
        at("demand: 0", "sectors.coal.market.demand", "output needed > 0")
        at("2017: -3", "sectors.coal.market.demandByYear.2017", "output needed > 0")
        at("elasticity: -0.5", "sectors.coal.market.elasticity", "elasticity of demand > 0")
        at("referenceUtilisation", "sectors.coal.market.referenceUtilisation", "a share in (0, 1]")
        at("priceIndexCap", "sectors.coal.market.priceIndexCap", "must be above the floor")
        at("costReductionRate", "sectors.coal.market.costReductionRate", "[0, 1)")
        at("investmentPaybackYears", "sectors.coal.market.investmentPaybackYears", "must be at most 100 years")
        at("demand: 10", "sectors.iron.market.elasticity", "required key is missing")
        #expect(loaded.issues.count == 8, "issues: \(loaded.issues)")
    }

    /// A market clears on table capacities and sets its sector's utilisation, so a scenario that
    /// also lists capacity changes or output targets is refused at those keys (a merge of the two
    /// features would otherwise run with inconsistent capacities).
    @Test func marketsAreRefusedWithCapacityChangesAndOutputTargets() {
        let f = TempFolder()
        f.write("mines.csv", standardMines)
        let yaml = scenarioText("""
            sectors:
              coal:
                market:
                  demand: 12
                  elasticity: 0.8
            capacityChanges:
              - id: grow
                facility: m1
                year: 2017
                capacityChange: 5
            outputTargets:
              - id: out
                sector: coal
                outputByYear: {2018: 10}

            """)
        let loaded = load(yaml: yaml, folder: f)
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("capacityChanges:", in: yaml), field: "capacityChanges",
                    message: "cannot yet be combined with a sector market")
        expectIssue(loaded.issues, file: loaded.yaml, line: lineOf("outputTargets:", in: yaml), field: "outputTargets",
                    message: "cannot yet be combined with a sector market")
        #expect(loaded.issues.count == 2, "issues: \(loaded.issues)")
    }

    /// The Done-when of issue 13: with markets on, cutting 20 % more coal raises the coal price and
    /// lowers bank losses against the same variant with markets off (explained in the README).
    @Test func largerCoalCutRaisesThePriceAndLowersBankLosses() throws {
        let plan = try Self.jilin("scenario.yaml"), on = try Self.jilin("variants/markets-coal.yaml")
        let cut = try Self.jilin("variants/coal-cut-20.yaml"), cutOn = try Self.jilin("variants/markets-coal-cut-20.yaml")
        let rPlan = Engine.run(plan.batch()), rOn = Engine.run(on.batch())
        let rCut = Engine.run(cut.batch()), rCutOn = Engine.run(cutOn.batch())
        #expect(rPlan.market == nil && rCut.market == nil)
        let mOn = try #require(rOn.market), mCut = try #require(rCutOn.market)
        // The calibration: the plan's cuts give +38 % by 2017 (published), +21 % in 2016.
        #expect(mOn.priceIndex(.coal, year: 2015) == 1)
        #expect(abs(mOn.priceIndex(.coal, year: 2017) - 1.38) < 0.005)
        #expect(abs(mOn.priceIndex(.coal, year: 2016) - 1.21) < 0.005)
        // 20 % more cuts: the price is higher every year than with the plan's cuts and than the fixed path.
        for year in 2016...2020 {
            #expect(mCut.priceIndex(.coal, year: year) > mOn.priceIndex(.coal, year: year), "\(year)")
            #expect(mCut.priceIndex(.coal, year: year) > (cut.policy.sectors[.coal]?.priceIndex(in: year) ?? .infinity), "\(year)")
        }
        func bankLosses(_ r: BatchResult) throws -> Double {
            let f = try #require(r.finance)
            var total = 0.0
            for y in f.years.indices { for e in f.enterprises.indices { total += f.value(.bankLosses, yearIndex: y, enterprise: e, scenario: 0) } }
            return total
        }
        let lossCut = try bankLosses(rCut), lossCutOn = try bankLosses(rCutOn)
        #expect(lossCutOn < lossCut)
        // Sizes documented in the README (亿元 = 1e8 yuan): 81.64 off, 65.45 on (the holding entities'
        // write-offs of stripped 吉煤 debt included).
        #expect(abs(lossCut / 1e8 - 81.64) < 0.01 && abs(lossCutOn / 1e8 - 65.45) < 0.01)
        // The steel and cement sectors keep their fixed paths: the same steel revenue as the plan.
        #expect(!mOn.isOn(.steel) && !mOn.isOn(.iron))
    }
}
