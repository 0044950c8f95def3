import CapSimCore
import CapSimScenario
import Foundation
import Testing

/// Variants that change the base without touching it: `scale:`, `add:`, `remove:` and facility
/// rows by id; each bad change located at the variant's line.
@Suite struct VariantChangeTests {
    static let base = scenarioText("""
        sectors:
          coal:
            priceIndex: 1.0
            priceIndexByYear: {2016: 1.0, 2017: 1.2}
        rules:
          - id: small
            sector: coal
            criterion: size_below
            threshold: 30
          - id: tiny
            sector: coal
            criterion: size_below
            threshold: 9

        """)

    func folder() -> TempFolder {
        let f = TempFolder()
        f.write("mines.csv", standardMines)
        f.write("base.yaml", Self.base)
        return f
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    // MARK: - scale

    @Test func scaleMultipliesEveryYearOfAYearMapAndANumber() throws {
        let f = folder()
        let v = f.write("v.yaml", """
            extends: base.yaml
            scale:
              sectors.coal.priceIndexByYear: 0.8
              sectors.coal.priceIndex: 0.5
              rules[small].threshold: 1.5
            """)
        let s = try Scenario.load(path: v)
        let coal = try #require(s.policy.sectors[.coal])
        #expect(coal.priceIndexByYear == [2016: 0.8, 2017: 1.2 * 0.8])
        #expect(coal.priceIndex == 0.5)
        #expect(s.policy.rules[0].thresholdByYear[2016] == 45)
        #expect(s.overrides.map(\.path) == ["sectors.coal.priceIndexByYear", "sectors.coal.priceIndex", "rules[0].threshold"])
        #expect(s.overrides.map(\.line) == [3, 4, 5])
        #expect(s.overrides.first?.change == .scaled(by: 0.8))
        #expect(s.resolvedDescription.contains("sectors.coal.priceIndexByYear × 0.8 → {2016, 2017}   from \(v):3"))
        // The base is read, never written.
        #expect(try String(contentsOfFile: f.path("base.yaml"), encoding: .utf8) == Self.base)
    }

    @Test func scaleOfANonNumberIsLocated() {
        let f = folder()
        let v = f.write("v.yaml", """
            extends: base.yaml
            scale:
              rules[small].criterion: 0.8
              rules[small]: 0.8
              sectors.coal.priceIndex: cheaper
              sectors.coal.nothing: 2
            """)
        let found = issues(loading: v)
        #expect(found.count == 4, "\(found)")
        expectIssue(found, file: v, line: 3, field: "scale.rules[small].criterion", message: "text here ('size_below')")
        expectIssue(found, file: v, line: 4, field: "scale.rules[small]", message: "not a year map of numbers")
        expectIssue(found, file: v, line: 5, field: "scale.sectors.coal.priceIndex", message: "a scale factor is a number")
        expectIssue(found, file: v, line: 6, field: "scale.sectors.coal.nothing", message: "nothing to scale")
    }

    // MARK: - add and remove

    @Test func addAndRemoveRulesKeepProvenanceAndPositions() throws {
        let f = folder()
        let v = f.write("v.yaml", """
            extends: base.yaml
            remove:
              rules: [small]
            add:
              rules:
                - id: mid
                  sector: coal
                  criterion: size_below
                  threshold: 20
            set:
              rules[tiny].threshold: 7
            """)
        let s = try Scenario.load(path: v)
        #expect(s.policy.rules.map(\.id) == ["tiny", "mid"])
        #expect(s.policy.rules[0].thresholdByYear[2016] == 7)
        #expect(s.policy.rules[1].thresholdByYear[2016] == 20)
        // After the removal `tiny` is rules[0]: its override is named by its new position.
        #expect(s.overrides.map(\.path) == ["rules[small]", "rules[1]", "rules[0].threshold"])
        #expect(s.overrides.map(\.change) == [.removed, .added, .set])
        #expect(s.overrides.map(\.line) == [3, 6, 11])
        let text = s.resolvedDescription
        #expect(text.contains("rules[small] removed   from \(v):3"))
        #expect(text.contains("rules[1] added {id, sector, criterion, threshold}   from \(v):6"))
    }

    @Test func aBadAddedRuleIsReportedInTheVariant() {
        let f = folder()
        let v = f.write("v.yaml", """
            extends: base.yaml
            add:
              rules:
                - id: mid
                  sector: coal
                  criterion: size_below
                  threshold: -3
            """)
        expectSingle(issues(loading: v), file: v, line: 7, field: "rules[2].threshold", message: "must be")
    }

    @Test func badRemovalsAndAdditionsAreLocatedWithDidYouMean() {
        let f = folder()
        let v = f.write("v.yaml", """
            extends: base.yaml
            remove:
              rules: [smal]
              targets: [x]
              sectors: [coal]
            add:
              rules:
                - id: tiny
                  criterion: safety_flag
              name: [x]
            """)
        let found = issues(loading: v)
        #expect(found.count == 5, "\(found)")
        expectIssue(found, file: v, line: 3, field: "remove.rules", message: "no element has id 'smal'; did you mean 'small'?")
        expectIssue(found, file: v, line: 4, field: "remove.targets", message: "there is no list here")
        expectIssue(found, file: v, line: 5, field: "remove.sectors", message: "not a list")
        expectIssue(found, file: v, line: 7, field: "add.rules", message: "already has an element 'tiny'")
        expectIssue(found, file: v, line: 10, field: "add.name", message: "not a list")
    }

    @Test func addingANewListIsCheckedAsAnyKey() {
        let f = folder()
        let v = f.write("v.yaml", "extends: base.yaml\nadd:\n  rulez: [{id: y}]\n")
        // The base may have no targets, so add: makes a list; an unknown key is then reported as any.
        expectSingle(issues(loading: v), file: v, line: 3, field: "rulez", message: "unknown key")
    }

    // MARK: - facility rows

    @Test func facilityRowsAreAddedEditedAndRemovedById() throws {
        let f = folder()
        try FileManager.default.createDirectory(atPath: f.path("v"), withIntermediateDirectories: true)
        f.write("v/extra.csv", table([row("m9", region: "north", capacity: "60", size: "60")]))
        let v = f.write("v/v.yaml", """
            extends: ../base.yaml
            add:
              facilityTables: [extra.csv]
            remove:
              facilities: [bf1]
            set:
              facilities[m1].capacity_10kt: 25
            scale:
              facilities[m2].workers: 0.5
            """)
        let s = try Scenario.load(path: v)
        #expect(s.facilityTables == [f.path("mines.csv"), f.path("v/extra.csv")])
        #expect(s.facilities.map(\.id) == ["m1", "m2", "m9"])
        #expect(s.facilities[0].capacity10ktPerYear == 25)
        #expect(s.facilities[1].workers == 100)
        #expect(s.facilities[2].capacity10ktPerYear == 60)
        let text = s.resolvedDescription
        #expect(text.contains("facilities[bf1] removed   from \(v):5"))
        #expect(text.contains("facilities[m1].capacity_10kt = 25   from \(v):7"))
        #expect(text.contains("facilities[m2].workers × 0.5 → 0.5   from \(v):9"))
    }

    @Test func badFacilityChangesAreLocatedInTheVariant() {
        let f = folder()
        let v = f.write("v.yaml", """
            extends: base.yaml
            set:
              facilities[m1].capacity: 25
              facilities[m1].id: m0
              facilities[m1]: 3
            add:
              facilities: [m3]
            """)
        let found = issues(loading: v)
        #expect(found.count == 4, "\(found)")
        expectIssue(found, file: v, line: 3, field: "set.facilities[m1].capacity",
                    message: "no column 'capacity'; did you mean 'capacity_10kt'?")
        expectIssue(found, file: v, line: 4, field: "set.facilities[m1].id", message: "id cannot be changed")
        expectIssue(found, file: v, line: 5, field: "set.facilities[m1]", message: "addressed as facilities[ID].COLUMN")
        expectIssue(found, file: v, line: 7, field: "add.facilities", message: "as a table of their own")
    }

    @Test func badFacilityValuesAndUnknownRowsAreLocatedInTheVariant() {
        let f = folder()
        let v = f.write("v.yaml", """
            extends: base.yaml
            remove:
              facilities: [bf2]
            set:
              facilities[m1].workers: many
            scale:
              facilities[m2].name: 2
            """)
        let found = issues(loading: v)
        #expect(found.count == 3, "\(found)")
        expectIssue(found, file: v, line: 3, field: "remove.facilities", message: "no facility table has a row with id 'bf2'; did you mean 'bf1'?")
        expectIssue(found, file: v, line: 5, field: "set.facilities[m1].workers", message: "expected a whole number, got 'many'")
        expectIssue(found, file: v, line: 7, field: "scale.facilities[m2].name", message: "is not a number, so it cannot be scaled")
    }

    // MARK: - the bundled what-ifs

    @Test func bundledPriceAndThresholdVariantScalesEveryYear() throws {
        let base = try Scenario.load(path: Self.repository.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path)
        let v = try Scenario.load(path: Self.repository.appendingPathComponent("Scenarios/jilin-2016/variants/mine-450kt-coal-80.yaml").path)
        let before = try #require(base.policy.sectors[.coal]?.priceIndexByYear)
        let after = try #require(v.policy.sectors[.coal]?.priceIndexByYear)
        #expect(before.count == 5)
        #expect(Set(after.keys) == Set(before.keys))
        for (year, x) in before { #expect(abs((after[year] ?? 0) - 0.8 * x) < 1e-12, "year \(year)") }
        let rule = try #require(v.policy.rules.first { $0.id == "coal-under-30" })
        #expect(rule.thresholdByYear[2018] == 45)
    }

    @Test func bundledNewMineVariantAddsAMineAndItsClosure() throws {
        let base = try Scenario.load(path: Self.repository.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path)
        let v = try Scenario.load(path: Self.repository.appendingPathComponent("Scenarios/jilin-2016/variants/new-mine-closed-2019.yaml").path)
        #expect(v.facilities.count == base.facilities.count + 1)
        #expect(!base.facilities.contains { $0.id == "coal-new01" })
        #expect(v.enterprises.count == base.enterprises.count + 1)
        let b = Engine.run(base.batch()), r = Engine.run(v.batch())
        let coal = AggregationGroup(sector: .coal)
        // The mine operates to 2018 and closes by its named rule in 2019: +60 in 2015-2018, 0 after.
        for year in 2015...2018 {
            #expect(r.value(.capacity, group: coal, year: year) - b.value(.capacity, group: coal, year: year) == 60, "\(year)")
        }
        #expect(r.value(.capacityClosed, group: coal, year: 2019) - b.value(.capacityClosed, group: coal, year: 2019) == 60)
        #expect(r.value(.capacity, group: coal, year: 2020) == b.value(.capacity, group: coal, year: 2020))
        let closure = try #require(r.closures.first { v.facilities[$0.facility].id == "coal-new01" })
        #expect(closure.year == 2019)
        #expect(closure.cause.ruleID == "coal-new01-2019")
    }

    @Test func suggestionFindsTheNearestKnownName() {
        #expect(Suggestion.editDistance("baisan", "baishan") == 1)
        #expect(Suggestion.editDistance("", "abc") == 3)
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.nearest(to: "baisan", in: ["changchun", "baishan", "baicheng"]) == "baishan")
        #expect(Suggestion.nearest(to: "xyz", in: ["baishan"]) == nil)
        #expect(Suggestion.nearest(to: "capacity", in: ["size", "capacity_10kt"]) == "capacity_10kt")
        #expect(Suggestion.phrase(for: "smal", in: ["small", "tiny"]) == "; did you mean 'small'?")
    }
}
