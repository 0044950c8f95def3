import Foundation
import Testing
import CapSimTestSupport

/// Every number in a bundled scenario has a unit and a source: a seed line or a stated assumption.
@Suite(.removesTemporaryFiles) struct ScenarioSourcesTests {
    /// Every folder of `Scenarios/` that holds a `scenario.yaml`.
    static let scenarios: [String] = {
        let root = CLIHarness.packageRoot.appendingPathComponent("Scenarios")
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return folders.filter {
            FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/scenario.yaml").path)
        }.sorted()
    }()

    @Test func everyBundledScenarioIsChecked() {
        #expect(Self.scenarios.contains("jilin-2016"))
        #expect(Self.scenarios.contains("qinghai-2016"))
    }

    @Test(arguments: scenarios)
    func everyNumberInTheYAMLCitesItsSource(_ name: String) throws {
        let file = CLIHarness.packageRoot.appendingPathComponent("Scenarios/\(name)/scenario.yaml")
        let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        var checked = 0
        for (i, line) in lines.enumerated() {
            let parts = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts[0].split(separator: ":", maxSplits: 1).dropFirst().first ?? ""
            guard value.contains(where: \.isNumber) else { continue }
            checked += 1
            let comment = parts.count > 1 ? String(parts[1]) : ""
            #expect(comment.contains("S00") || comment.contains("assumption"),
                    "scenario.yaml:\(i + 1) has a number without a source: \(line)")
        }
        #expect(checked > 30)
    }

    @Test(arguments: scenarios)
    func everyTableRowHasASource(_ name: String) throws {
        let scenario = CLIHarness.packageRoot.appendingPathComponent("Scenarios/\(name)")
        let facilities = try FileManager.default.contentsOfDirectory(atPath: scenario.appendingPathComponent("facilities").path)
            .filter { $0.hasSuffix(".csv") }.map { "facilities/\($0)" }
        #expect(!facilities.isEmpty)
        // The enterprise tables (balance sheets) carry a source column too.
        let enterprises = try FileManager.default.contentsOfDirectory(atPath: scenario.path)
            .filter { $0.hasPrefix("enterprises") && $0.hasSuffix(".csv") }
        for table in facilities + enterprises {
            let rows = try String(contentsOf: scenario.appendingPathComponent(table), encoding: .utf8)
                .split(separator: "\n").map(String.init)
            let header = rows[0].components(separatedBy: ",")
            #expect(header.last == "source", "\(table): source must be the last column so commas in it stay readable")
            for (i, row) in rows.dropFirst().enumerated() {
                let cells = row.components(separatedBy: ",")
                let source = cells.dropFirst(header.count - 1).joined(separator: ",")
                // Rows `capsim end-state` wrote from an earlier scenario's run cite that run
                // (Scenarios/jilin-2020/derive.sh); the earlier scenario's rows cite their sources.
                #expect(source.contains("S00") || source.contains("assumption") || source.contains("(capsim end-state)"),
                        "\(table):\(i + 2) source does not cite a seed line or an assumption: \(source)")
            }
        }
    }
}
