import CapSimScenario
import Testing

/// What the loader does where docs/MODEL.md and docs/SCENARIO-FORMAT.md used to disagree (issue 11).
@Suite struct DocumentedLoaderDecisionsTests {
    /// A `named` rule takes no `owner` or `region` filter in a scenario file: the loader refuses it,
    /// so a named rule closes exactly what it lists (MODEL §2.2).
    @Test(arguments: ["owner: private", "region: south"])
    func aFilterOnANamedRuleIsRefused(filter: String) {
        let folder = TempFolder()
        let yaml = scenarioText("""
            rules:
              - id: shut
                criterion: named
                facilities: [m1, m2]
                year: 2016
                \(filter)
            """)
        let (path, _, found) = load(yaml: yaml, folder: folder)
        let key = String(filter.prefix { $0 != ":" })
        expectSingle(found, file: path, line: lineOf(filter, in: yaml), field: "rules[0].\(key)",
                     message: "a named rule closes exactly the units it lists")
    }

    /// Two facility ids that differ only in Unicode normal form (NFC `é`, NFD `e` + U+0301) are one id:
    /// the second is a duplicate (MODEL §1.1).
    @Test func idsDifferingOnlyInNormalFormAreDuplicates() {
        let folder = TempFolder()
        let mines = table([row("caf\u{E9}"), row("cafe\u{301}")])
        let (_, csv, found) = load(yaml: scenarioText(), mines: mines, folder: folder)
        #expect(found.count == 1 && found.first?.file == csv && found.first?.message.contains("duplicate") == true,
                "\(found)")
    }
}
