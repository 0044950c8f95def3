import CapSimCore
import CapSimIO
import CapSimScenario
import Foundation
import Testing
import CapSimTestSupport

/// `ScenarioGenerator`: deterministic text, files that load and run, and the national preset's
/// counts and totals within the ranges docs/GENERATOR.md documents.
@Suite(.removesTemporaryFiles) struct ScenarioGeneratorTests {
    static let tag = "assumption: synthetic (capsim generate, seed "

    /// The generated files written into a fresh temporary folder.
    static func write(_ g: GeneratedScenario) throws -> URL {
        let dir = temporaryPath("gen")
        try AtomicOutput.write(g.files.map { ($0.name, $0.contents) }, to: dir.path)
        return dir
    }

    /// Data rows of a generated CSV as cells (the generated tables quote only the last column).
    static func rows(_ text: String) -> [[String]] {
        text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func sameSpecAndSeedGiveIdenticalText() throws {
        let a = try ScenarioGenerator.generate(.province(seed: 7))
        let b = try ScenarioGenerator.generate(.province(seed: 7))
        #expect(a.files.map(\.name) == ScenarioGenerator.fileNames)
        for (x, y) in zip(a.files, b.files) {
            #expect(x.contents == y.contents, "\(x.name) differs between two runs with seed 7")
        }
        #expect(a.sectors == b.sectors)
    }

    @Test func differentSeedsGiveDifferentScenarios() throws {
        let a = try ScenarioGenerator.generate(.province(seed: 1))
        let b = try ScenarioGenerator.generate(.province(seed: 2))
        for (x, y) in zip(a.files, b.files) {
            // Beyond the seed in the source notes: strip it, then compare.
            let strip = { (s: String) in s.replacingOccurrences(of: "seed 1", with: "").replacingOccurrences(of: "seed 2", with: "") }
            #expect(strip(x.contents) != strip(y.contents), "\(x.name) is the same for seeds 1 and 2")
        }
    }

    @Test func provinceLoadsWithoutIssuesAndRunsConserved() throws {
        let g = try ScenarioGenerator.generate(.province(seed: 1))
        #expect(g.spec.totalFacilities == 500)
        let dir = try Self.write(g)
        let scenario: Scenario
        do {
            scenario = try Scenario.load(path: dir.appendingPathComponent("scenario.yaml").path)
        } catch {
            Issue.record("generated province scenario does not load: \(error.issues.map { "\($0)" })")
            return
        }
        #expect(scenario.facilities.count == 500)
        #expect(scenario.enterprises.count == g.enterpriseCount)
        #expect(scenario.baseYear == 2015 && scenario.endYear == 2020)
        #expect(Set(scenario.facilities.map(\.region)).count == 9)
        #expect(scenario.policy.resettlement != nil)
        #expect(scenario.policy.finance != nil)

        let result = Engine.run(scenario.batch())
        #expect(result.conservationViolations().isEmpty, "\(result.conservationViolations().prefix(5))")
        let workers = try #require(result.resettlement)
        #expect(workers.conservationViolations().isEmpty, "\(workers.conservationViolations().prefix(5))")
        let finance = try #require(result.finance)
        #expect(finance.identityViolations().isEmpty, "\(finance.identityViolations().prefix(5))")
        // The size rules fire in the first programme year.
        #expect(result.closures.contains { $0.year == 2016 && $0.cause.ruleID == "coal-under-30" })
        #expect(result.closures.contains { $0.year == 2016 && $0.cause.ruleID == "clinker-2500" })
    }

    @Test func nationalCountsAndTotalsAreInTheDocumentedRanges() throws {
        for seed: UInt64 in [1, 2] {
            let g = try ScenarioGenerator.generate(.national(seed: seed))
            #expect(g.spec.totalFacilities == 15_000)
            #expect(g.spec.baseYear == 2015 && g.spec.endYear == 2030)
            #expect(g.regionCount == 31)
            let s = Dictionary(uniqueKeysWithValues: g.sectors.map { ($0.sector, $0) })
            let coal = try #require(s[.coal]), iron = try #require(s[.iron]), steel = try #require(s[.steel])
            let clinker = try #require(s[.clinker]), grinding = try #require(s[.grinding])
            #expect(coal.units == 10_000 && iron.units == 1_050 && steel.units == 970)
            #expect(clinker.units == 1_700 && grinding.units == 1_280)
            // docs/GENERATOR.md, "National totals".
            #expect((540_000...600_000).contains(coal.capacity10kt), "coal \(coal.capacity10kt)")
            let operatingMines = Double(coal.units - coal.plannedUnits)
            let smallShare = Double(coal.unitsUnderSizeRule) / operatingMines
            #expect((0.40...0.50).contains(smallShare), "mines < 30: \(smallShare) of the count")
            #expect((0.08...0.18).contains(coal.capacityUnderSizeRule10kt / coal.capacity10kt))
            #expect((90_000...105_000).contains(iron.capacity10kt), "iron \(iron.capacity10kt)")
            #expect((100_000...120_000).contains(steel.capacity10kt), "steel \(steel.capacity10kt)")
            #expect((170_000...200_000).contains(clinker.capacity10kt), "clinker \(clinker.capacity10kt)")
            #expect((140_000...170_000).contains(grinding.capacity10kt), "grinding \(grinding.capacity10kt)")
            #expect((6_000_000...8_000_000).contains(g.sectors.reduce(0) { $0 + $1.workers }))
            #expect((7_000...9_500).contains(g.enterpriseCount), "enterprises \(g.enterpriseCount)")
        }
    }

    @Test func nationalLoadsWithoutIssues() throws {
        let g = try ScenarioGenerator.generate(.national(seed: 1))
        let dir = try Self.write(g)
        do {
            let scenario = try Scenario.load(path: dir.appendingPathComponent("scenario.yaml").path)
            #expect(scenario.facilities.count == 15_000)
            #expect(scenario.endYear == 2030)
        } catch {
            Issue.record("generated national scenario does not load: \(error.issues.prefix(5).map { "\($0)" })")
        }
    }

    @Test func unitSizesAndCapacitiesFollowTheirKinds() throws {
        let g = try ScenarioGenerator.generate(.national(seed: 3))
        let facilities = try #require(g.contents(of: "facilities.csv"))
        var seen = Set<String>()
        for r in Self.rows(facilities) {
            let kind = r[2], capacity = Double(r[6])!, size = Double(r[7])!, start = Int(r[8])!
            seen.insert(kind)
            #expect(start <= 2018 && start >= 1900)
            switch kind {
            case "coal_mine":
                #expect((3...3_000).contains(size) && capacity == size && !r[9].isEmpty)
            case "blast_furnace":
                #expect((300...5_500).contains(size))
                #expect(abs(capacity / size - 0.1) <= 0.0081 + 0.5 / size, "BF \(r[0]): \(capacity) for \(size) m3")
            case "converter":
                #expect((20...300).contains(size))
            case "electric_furnace":
                #expect((20...150).contains(size))
            case "clinker_line":
                #expect((1_000...12_000).contains(size) && capacity == size * 310 / 10_000)
            case "grinding_station":
                #expect((20...500).contains(size) && capacity == size)
            default:
                Issue.record("unexpected kind \(kind)")
            }
            if kind != "coal_mine" { #expect(r[9].isEmpty) }
        }
        #expect(seen.count == 6)
    }

    @Test func enterprisesHaveLeverageInRangeAndSplitDebt() throws {
        let g = try ScenarioGenerator.generate(.province(seed: 4))
        let enterprises = try #require(g.contents(of: "enterprises.csv"))
        let rows = Self.rows(enterprises)
        #expect(rows.count == g.enterpriseCount)
        var singles = 0, groups = 0
        for r in rows {
            let assets = Double(r[2])!, debt = r[3...8].map { Double($0)! }.reduce(0, +)
            #expect(assets > 0)
            #expect((0.499...0.951).contains(debt / assets), "\(r[0]): debt/assets \(debt / assets)")
            #expect(Double(r[3])! > 0, "\(r[0]) has no bank loans")
            if r[0].hasPrefix("firm-") { singles += 1 } else { groups += 1 }
        }
        #expect(singles > groups, "many single-unit private firms")
    }

    @Test func everyNumberCarriesTheSyntheticSource() throws {
        let g = try ScenarioGenerator.generate(.province(seed: 5))
        let yaml = try #require(g.contents(of: "scenario.yaml"))
        var checked = 0
        for (i, line) in yaml.components(separatedBy: "\n").enumerated() {
            let parts = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts[0].split(separator: ":", maxSplits: 1).dropFirst().first ?? ""
            guard value.contains(where: \.isNumber) else { continue }
            checked += 1
            #expect(parts.count > 1 && parts[1].contains(Self.tag + "5)"), "scenario.yaml:\(i + 1) \(line)")
        }
        #expect(checked > 80)
        for name in ["facilities.csv", "enterprises.csv"] {
            let text = try #require(g.contents(of: name))
            for (i, row) in text.split(separator: "\n").dropFirst().enumerated() {
                #expect(row.hasSuffix(",\"" + Self.tag + "5)\""), "\(name):\(i + 2)")
            }
        }
    }

    @Test func yamlStatesTheRulesWorkforceResettlementAndFinance() throws {
        let g = try ScenarioGenerator.generate(.province(seed: 1))
        let yaml = try #require(g.contents(of: "scenario.yaml"))
        for expected in ["criterion: size_below", "threshold: 30 ", "threshold: 400 ", "threshold: 2500 ",
                         "ageBands: [16, 25, 35, 45, 50, 55, 60]", "retirementAge: {male: 60, female: 50}",
                         "kind: registered_unemployment", "kind: training", "zombies:", "action: bankruptcy",
                         "action: merger", "kind: debt_equity_swap"] {
            #expect(yaml.contains(expected), "scenario.yaml lacks \(expected)")
        }
        let resettlement = try #require(yaml.components(separatedBy: "\nresettlement:\n").last?
            .components(separatedBy: "\n  transitions:\n").first)
        let channels = resettlement.components(separatedBy: "\n").filter { $0.hasPrefix("    - id: ") }
        #expect((5...8).contains(channels.count))
        #expect(channels.last?.contains("- id: training") == true)
    }

    @Test func mixSplitsATotalOverTheKinds() {
        for total in [1, 7, 500, 15_000, 123_457] {
            let counts = GeneratorSpec.mix(total: total)
            #expect(FacilityKind.allCases.reduce(0) { $0 + counts[$1]! } == total)
        }
        #expect(GeneratorSpec.mix(total: 15_000) == GeneratorSpec.nationalMix)
    }

    @Test func smallAndInvalidSpecs() throws {
        // A tiny scenario with some sectors absent still loads.
        var spec = GeneratorSpec.province(seed: 9)
        spec.counts = GeneratorSpec.mix(total: 12)
        spec.years = 2
        let g = try ScenarioGenerator.generate(spec)
        let dir = try Self.write(g)
        #expect(throws: Never.self) { try Scenario.load(path: dir.appendingPathComponent("scenario.yaml").path) }

        spec.years = 0
        spec.name = "bad name"
        #expect(throws: GeneratorError.self) { try ScenarioGenerator.generate(spec) }
        #expect(spec.problems().count == 2)
    }
}
