import Foundation
import Testing
import CapSimTestSupport

/// `capsim compare` through the real binary: Jilin against variants of itself.
@Suite(.serialized, .removesTemporaryFiles) struct CompareCommandTests {
    static func tempDir(_ label: String) -> URL {
        temporaryPath(label)
    }

    /// A copy of Jilin named `jilin-45` whose general mine size rule (`coal-under-30`, S000:L56)
    /// closes every mine under 45 instead of 30 10kt/yr from 2018.
    static func jilinWithMineThreshold45() throws -> URL {
        let copy = try CLIHarness.copyOfJilin()
        let yaml = copy.appendingPathComponent("scenario.yaml")
        let text = try String(contentsOf: yaml, encoding: .utf8)
        let rule = try #require(text.range(of: "id: coal-under-30"))
        let threshold = try #require(text[rule.upperBound...].range(of: "threshold: 30"))
        try (text[..<threshold.lowerBound] + "threshold: 45" + text[threshold.upperBound...])
            .write(to: yaml, atomically: true, encoding: .utf8)
        try CLIHarness.edit(yaml, replacing: "name: jilin-2016", with: "name: jilin-45")
        return copy
    }

    static let jilin = "Scenarios/jilin-2016/scenario.yaml"

    static func run(_ scenario: String) throws -> URL {
        let out = tempDir("run")
        let result = try CLIHarness.run(["run", scenario, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        return out
    }

    @Test func raisedMineThresholdShowsInDifferencesAndClosures() throws {
        let variant = try Self.jilinWithMineThreshold45().appendingPathComponent("scenario.yaml").path
        let out = Self.tempDir("compare")
        let result = try CLIHarness.run(["compare", Self.jilin, variant, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let baseRun = try Self.run(Self.jilin), variantRun = try Self.run(variant)
        let pBase = try Projections(baseRun.appendingPathComponent("projections.csv"))
        let pVariant = try Projections(variantRun.appendingPathComponent("projections.csv"))

        let table = try CSVTable(out.appendingPathComponent("comparison.csv"))
        #expect(table.header == ["metric", "sector", "year", "unit", "base", "variant", "base_value",
                                 "variant_value", "difference", "difference_pct"])
        let rows = Dictionary(table.rows.map { ("\($0["metric"]!)|\($0["sector"]!)|\($0["year"]!)", $0) },
                              uniquingKeysWith: { a, _ in a })
        #expect(rows.count == table.rows.count, "one row per metric, sector and year")
        #expect(table.rows.allSatisfy { $0["base"] == "jilin-2016" && $0["variant"] == "jilin-45" })

        // Coal capacity in 2018 and capacity closed in 2018: exactly what the two runs' projections say.
        for metric in ["capacity", "capacity_closed"] {
            let row = try #require(rows["\(metric)|coal|2018"])
            let b = try #require(pBase(2018, "coal", metric)), v = try #require(pVariant(2018, "coal", metric))
            #expect(Double(row["base_value"]!) == b && Double(row["variant_value"]!) == v)
            #expect(Double(row["difference"]!) == v - b)
            #expect(v != b, "the variant must change coal \(metric) in 2018")
            let pct = try #require(Double(row["difference_pct"]!))
            #expect(abs(pct - 100 * (v - b) / b) < 1e-5)
        }
        // Every row is a region=all,owner=all row of projections.csv, and every such row is compared.
        let allAll = pBase.values.filter {  // key: year|sector|region|owner|metric
            let f = $0.key.split(separator: "|")
            return f[2] == "all" && f[3] == "all"
        }
        #expect(rows.count == allAll.count)
        for (key, value) in allAll {
            let f = key.split(separator: "|").map(String.init)  // year|sector|region|owner|metric
            let row = rows["\(f[4])|\(f[1])|\(f[0])"]
            #expect(row.flatMap { Double($0["base_value"]!) } == value, "\(key)")
            #expect(row.flatMap { Double($0["variant_value"]!) } == pVariant.values[key], "\(key)")
        }

        // The mines the wider rule reaches: 30 <= size < 45 and still open at the start of 2018 in the base.
        let baseClosures = try CSVTable(baseRun.appendingPathComponent("closures.csv"))
        let closedBefore2018 = Set(baseClosures.rows.filter { Int($0["year"]!)! < 2018 }.map { $0["facility_id"]! })
        let mines = try CSVTable(CLIHarness.packageRoot.appendingPathComponent("Scenarios/jilin-2016/facilities/coal-mines.csv"))
        let reached = Set(mines.rows.filter {
            let size = Double($0["size"]!)!
            return size >= 30 && size < 45 && Int($0["start_year"]!)! <= 2018 && !closedBefore2018.contains($0["id"]!)
        }.map { $0["id"]! })
        #expect(!reached.isEmpty)

        let changes = try CSVTable(out.appendingPathComponent("closure_changes.csv"))
        #expect(changes.header == ["base", "variant", "facility_id", "name", "sector", "capacity_10kt", "change",
                                   "base_year", "base_rule", "base_reason", "variant_year", "variant_rule", "variant_reason"])
        let byRule = Dictionary(grouping: changes.rows) { $0["variant_rule"] == "coal-under-30" && $0["variant_year"] == "2018" }
        #expect(Set((byRule[true] ?? []).map { $0["facility_id"]! }) == reached)
        for row in byRule[true] ?? [] {
            #expect(["newly_closes", "earlier"].contains(row["change"]!), "\(row)")
            #expect(row["variant_reason"]!.hasSuffix("< 45 10kt/yr"))
        }
        // Every other change is a mine the 2018 target picked in the base and no longer needs.
        for row in byRule[false] ?? [] {
            #expect(row["base_year"] == "2018" && row["base_rule"] == "coal-programme", "\(row)")
            #expect(["later", "no_longer_closes"].contains(row["change"]!), "\(row)")
        }
        // The closure lists account for the whole change in 2018 coal capacity closed.
        let moved = changes.rows.reduce(0.0) { sum, row in
            let cap = Double(row["capacity_10kt"]!)!
            return sum + (row["variant_year"] == "2018" ? cap : 0) - (row["base_year"] == "2018" ? cap : 0)
        }
        #expect(Double(rows["capacity_closed|coal|2018"]!["difference"]!) == moved)
        #expect(result.stdout.contains("closures: \(changes.rows.count) unit(s) differ"))
        #expect(result.stdout.contains("newly_closes"))
    }

    @Test func aScenarioComparedWithItselfDiffersNowhere() throws {
        let out = Self.tempDir("self")
        let result = try CLIHarness.run(["compare", Self.jilin, Self.jilin, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let table = try CSVTable(out.appendingPathComponent("comparison.csv"))
        #expect(table.rows.count > 1000)
        for row in table.rows {
            #expect(row["difference"] == "0", "\(row)")
            #expect(row["base_value"] == row["variant_value"])
            #expect(row["difference_pct"] == (Double(row["base_value"]!) == 0 ? "" : "0"), "\(row)")
        }
        // The same file twice still gets two labels.
        let labels = Set(table.rows.flatMap { [$0["base"]!, $0["variant"]!] })
        #expect(labels.count == 2)
        let changes = try CSVTable(out.appendingPathComponent("closure_changes.csv"))
        #expect(changes.rows.isEmpty)
        #expect(result.stdout.contains("0 of \(table.rows.count) values differ"))
        #expect(result.stdout.contains("closures: 0 unit(s) differ"))
    }

    @Test func unitsInOnlyOneScenarioAreListedAsSuch() throws {
        let copy = try CLIHarness.copyOfJilin()
        let table = copy.appendingPathComponent("facilities/coal-mines.csv")
        var lines = try String(contentsOf: table, encoding: .utf8).components(separatedBy: "\n")
        // A mine no rule names, whose enterprise owns another mine (every enterprise must own one).
        let yaml = try String(contentsOf: copy.appendingPathComponent("scenario.yaml"), encoding: .utf8)
        let cells = lines.map { $0.components(separatedBy: ",") }
        let removed = try #require(cells.indices.dropFirst().last { r in
            cells[r].count > 3 && !yaml.contains(cells[r][0])
                && cells.indices.contains { $0 != r && $0 > 0 && cells[$0].count > 3 && cells[$0][3] == cells[r][3] }
        })
        let id = cells[removed][0]
        lines.remove(at: removed)
        try lines.joined(separator: "\n").write(to: table, atomically: true, encoding: .utf8)

        let out = Self.tempDir("subset")
        let result = try CLIHarness.run(["compare", Self.jilin, copy.appendingPathComponent("scenario.yaml").path,
                                         "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("note:") && result.stdout.contains("1 only in the base, 0 only in the variant"))
        let changes = try CSVTable(out.appendingPathComponent("closure_changes.csv"))
        let row = try #require(changes.rows.first { $0["facility_id"] == id })
        #expect(row["change"] == "only_in_base")
        #expect(row["variant_year"] == "" && row["variant_rule"] == "")
    }

    @Test func missingVariantFileIsRejectedAndNothingWritten() throws {
        let out = Self.tempDir("missing")
        let result = try CLIHarness.run(["compare", Self.jilin, "no/such/variant.yaml", "--out", out.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no/such/variant.yaml: file not found"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test func differentBaseYearIsRejectedWithBothFilesNamed() throws {
        let copy = try CLIHarness.copyOfJilin()
        let yaml = copy.appendingPathComponent("scenario.yaml")
        try CLIHarness.edit(yaml, replacing: "baseYear: 2015", with: "baseYear: 2014")
        let out = Self.tempDir("baseyear")
        let result = try CLIHarness.run(["compare", Self.jilin, yaml.path, "--out", out.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(yaml.path): baseYear: 2014 differs from the base scenario's 2015 (\(Self.jilin))"),
                "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}

/// A CSV file read back by header name, with quoted fields (reasons contain commas).
struct CSVTable {
    var header: [String]
    var rows: [[String: String]]

    init(_ file: URL) throws {
        var text = try String(contentsOf: file, encoding: .utf8)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let records = Self.parse(text)
        let names = records.first ?? []
        header = names
        rows = records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(names, $0)) }
    }

    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = "", quoted = false
        var chars = text.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    let next = chars.next()
                    if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                } else { field.append(c) }
            } else if c == "\"" { quoted = true }
            else if c == "," { record.append(field); field = "" }
            else if c == "\n" { record.append(field); records.append(record); record = []; field = "" }
            else { field.append(c) }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }
}
