import CapSimCore
import CapSimScenario
import Foundation
import Testing

/// Variants: `extends:` chains, `set:` paths, provenance, and every bad override located.
@Suite struct ScenarioDocumentTests {
    static let base = scenarioText("""
        sectors:
          coal:
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

    func issues(_ path: String) -> [ScenarioIssue] {
        do {
            _ = try Scenario.load(path: path)
            return []
        } catch {
            return error.issues
        }
    }

    @Test func variantOverridesByIdAndKeepsTheRest() throws {
        let f = folder()
        try FileManager.default.createDirectory(atPath: f.path("v"), withIntermediateDirectories: true)
        let variant = f.write("v/what-if.yaml", """
            extends: ../base.yaml
            name: what-if
            set:
              rules[small].threshold: 45
              sectors.coal.priceIndexByYear.2017: 0.9
            """)
        let s = try Scenario.load(path: variant)
        #expect(s.name == "what-if")
        #expect(s.policy.rules[0].thresholdByYear[2018] == 45)
        #expect(s.policy.rules[1].thresholdByYear[2018] == 9)
        #expect(s.policy.sectors[.coal]?.priceIndexByYear == [2016: 1.0, 2017: 0.9])
        #expect(s.chain == [f.path("base.yaml"), variant])
        // Tables listed by the base resolve against the base's folder, not the variant's.
        #expect(s.facilityTables == [f.path("mines.csv")])
        #expect(s.overrides.map(\.path) == ["name", "rules[0].threshold", "sectors.coal.priceIndexByYear.2017"])
        #expect(s.overrides.map(\.line) == [2, 4, 5])
        let text = s.resolvedDescription
        #expect(text.contains("rules[0].threshold = 45   from \(variant):4"))
        #expect(text.contains("threshold 45 (from \(variant):4) in 2016-2020"))
    }

    @Test func chainOfTwoVariantsAppliesInOrder() throws {
        let f = folder()
        f.write("a.yaml", "extends: base.yaml\nset:\n  rules[small].threshold: 40\n  rules[tiny].threshold: 5\n")
        let b = f.write("b.yaml", "extends: a.yaml\nset:\n  rules[small].threshold: 50\n")
        let s = try Scenario.load(path: b)
        #expect(s.policy.rules[0].thresholdByYear[2016] == 50)
        #expect(s.policy.rules[1].thresholdByYear[2016] == 5)
        #expect(s.overrides.map(\.file) == [f.path("a.yaml"), b])
    }

    @Test func unknownPathsAreLocatedInTheVariant() {
        let f = folder()
        let v = f.write("v.yaml", """
            extends: base.yaml
            set:
              rules[big].threshold: 45
              rules[7].threshold: 45
              sectors.steel.priceIndex: 2
              rules[small]threshold: 1
            """)
        let found = issues(v)
        #expect(found.count == 4)
        #expect(found.allSatisfy { $0.file == v })
        #expect(found.map(\.line) == [3, 4, 5, 6])
        #expect(found[0].field == "set.rules[big].threshold")
        #expect(found[0].message.contains("no element with id 'big'; its ids: small, tiny"))
        #expect(found[1].message.contains("has 2 elements"))
        #expect(found[2].message.contains("'sectors' has no key 'steel'"))
        #expect(found[3].message.contains("is not a path"))
    }

    @Test func wrongKindsAreLocatedInTheVariant() {
        let f = folder()
        let v = f.write("v.yaml", """
            extends: base.yaml
            set:
              rules[small].threshold: {2016: 3}
              rules[small].id: [a, b]
              sectors.coal.priceIndexByYear: 1.1
            """)
        let found = issues(v)
        #expect(found.map(\.line) == [3, 4, 5])
        #expect(found[0].message.contains("the scenario has a number here ('30'); got a mapping"))
        #expect(found[1].message.contains("got a list"))
        #expect(found[2].message.contains("has a mapping here"))
    }

    @Test func badValuesAndNewKeysAreReportedByTheResolverAtTheVariantLine() {
        let f = folder()
        let v = f.write("v.yaml", """
            extends: base.yaml
            set:
              rules[small].threshold: -5
              sectors.coal.priceIndx: 0.8
            """)
        let found = issues(v)
        #expect(found.count == 2)
        let threshold = found.first { $0.field == "rules[0].threshold" }
        #expect(threshold?.file == v && threshold?.line == 3)
        let unknown = found.first { $0.field == "sectors.coal.priceIndx" }
        #expect(unknown?.file == v && unknown?.line == 4)
        #expect(unknown?.message.contains("unknown key") == true)
    }

    @Test func errorsInTheBaseNameTheBase() {
        let f = folder()
        f.write("base.yaml", Self.base.replacingOccurrences(of: "threshold: 9", with: "threshold: -9"))
        let v = f.write("v.yaml", "extends: base.yaml\nset:\n  rules[small].threshold: 45\n")
        let found = issues(v)
        #expect(found.count == 1)
        #expect(found[0].file == f.path("base.yaml"))
        #expect(found[0].field == "rules[1].threshold")
    }

    @Test func cyclesAreReportedNotFollowed() {
        let f = folder()
        let a = f.write("a.yaml", "extends: b.yaml\n")
        f.write("b.yaml", "extends: c.yaml\n")
        f.write("c.yaml", "extends: ./a.yaml\n")
        let found = issues(a)
        #expect(found.count == 1)
        #expect(found[0].file == f.path("c.yaml") && found[0].line == 1 && found[0].field == "extends")
        #expect(found[0].message.contains("extends cycle: \(a) → \(f.path("b.yaml")) → \(f.path("c.yaml")) → \(a)"))
        let selfLoop = f.write("self.yaml", "extends: self.yaml\n")
        #expect(issues(selfLoop).first?.message.contains("extends cycle") == true)
    }

    @Test func missingBaseIsNamed() {
        let f = folder()
        let v = f.write("v.yaml", "extends: nowhere.yaml\n")
        // Reported where the base is named: the variant's `extends:` line.
        #expect(issues(v).map(\.description)
                == ["\(v):1: extends: scenario file '\(f.path("nowhere.yaml"))' not found"])
    }

    @Test func pathsParseAndRejectMalformedText() throws {
        let p = try ScenarioPath.parse("resettlement.channels[2].share").get()
        #expect(p.segments == [.key("resettlement"), .key("channels"), .index(2), .key("share")])
        #expect(p.description == "resettlement.channels[2].share")
        #expect(try ScenarioPath.parse("rules[coal-under-30].thresholdByYear.2017").get().segments
                == [.key("rules"), .id("coal-under-30"), .key("thresholdByYear"), .key("2017")])
        for bad in ["", "a..b", "a.", "[1]", "a[1", "a[]", "a[1]b", ".a"] {
            #expect(throws: PathSyntaxError.self) { try ScenarioPath.parse(bad).get() }
        }
    }

    @Test func settingAndScalingByPathForSweeps() throws {
        let f = folder()
        let document = try ScenarioDocument.load(path: f.path("base.yaml"))
        let base = try Scenario.load(document)
        let path = try ScenarioPath.parse("sectors.coal.priceIndexByYear").get()
        let scaled = try document.setting(path, to: 0.5, scale: true, origin: "sweep")
        let s = try Scenario.load(scaled, reusingTablesOf: base)
        #expect(s.policy.sectors[.coal]?.priceIndexByYear == [2016: 0.5, 2017: 0.6])
        #expect(s.facilities.map(\.id) == base.facilities.map(\.id))
        let set = try document.setting(try ScenarioPath.parse("rules[tiny].threshold").get(), to: 12.25, origin: "sweep")
        #expect(try Scenario.load(set, reusingTablesOf: base).policy.rules[1].thresholdByYear[2017] == 12.25)
        #expect(throws: ScenarioDocument.PathError.self) {
            try document.setting(try ScenarioPath.parse("rules[0].criterion").get(), to: 1, scale: true, origin: "sweep")
        }
    }
}
