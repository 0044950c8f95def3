import Foundation
import Testing
import CapSimTestSupport

/// `capsim chart` through the real binary: images from a real Jilin run and the fixture tables,
/// and bad input rejected with a located message, exit status 1 and nothing written.
@Suite(.serialized, .removesTemporaryFiles) final class ChartCommandTests {
    static let fixtures = CLIHarness.packageRoot.appendingPathComponent("Tests/Fixtures/charts")
    /// Temporary folders of this test, removed when it ends (a class so that deinit can).
    private var folders: [URL] = []

    deinit { for folder in folders { try? FileManager.default.removeItem(at: folder) } }

    func tempFolder() throws -> URL {
        let dir = temporaryPath("chart-cli")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        folders.append(dir)
        return dir
    }

    /// A fresh `capsim run` of Jilin into a temporary folder.
    func jilinRun() throws -> URL {
        let run = try tempFolder().appendingPathComponent("run")
        let result = try CLIHarness.run(["run", "Scenarios/jilin-2016/scenario.yaml", "--out", run.path])
        #expect(result.status == 0, "capsim run failed: \(result.stderr)")
        return run
    }

    /// Expects exactly `names` in `folder`, each a valid PNG or SVG by its content.
    func expectImages(in folder: URL, _ names: [String]) throws {
        let present = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(present == names.sorted())
        for name in names {
            let data = try Data(contentsOf: folder.appendingPathComponent(name))
            #expect(!data.isEmpty, "\(name) is empty")
            if name.hasSuffix(".png") { ImageCheck.expectPNG(data, name) } else { ImageCheck.expectSVG(data, name) }
        }
    }

    @Test func runFolderChartsInBothFormats() throws {
        let run = try jilinRun()
        let out = run.deletingLastPathComponent().appendingPathComponent("charts")
        let result = try CLIHarness.run(["chart", run.path, "--format", "both", "--title", "吉林省 2016-2020 去产能",
                                         "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "no gnuplot or font warnings expected:\n\(result.stderr)")
        let names = ["capacity", "closures", "workers", "debt"].flatMap { ["\($0).png", "\($0).svg"] }
        try expectImages(in: out, names)
        #expect(result.stdout.contains("wrote \(out.path)/capacity.png"))
        let png = try #require(ImageCheck.pngSize(Data(contentsOf: out.appendingPathComponent("capacity.png"))))
        #expect(png.width == 1000 && png.height == 560)
        let svg = try String(contentsOf: out.appendingPathComponent("capacity.svg"), encoding: .utf8)
        #expect(svg.contains("吉林省 2016-2020 去产能 (jilin-2016)"))
    }

    @Test func comparisonChartFromTheFixture() throws {
        let out = try tempFolder().appendingPathComponent("charts")
        let result = try CLIHarness.run(["chart", "--compare", Self.fixtures.appendingPathComponent("comparison.csv").path,
                                         "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        try expectImages(in: out, ["compare-capacity.png"])
        let one = try CLIHarness.run(["chart", "--compare", Self.fixtures.appendingPathComponent("comparison.csv").path,
                                      "--metric", "workers_displaced_cumulative", "--sector", "coal",
                                      "--format", "svg", "--out", out.path])
        #expect(one.status == 0, "\(one.stderr)")
        try expectImages(in: out, ["compare-capacity.png", "compare-workers_displaced_cumulative-coal.svg"])
    }

    @Test func fanChartsFromTheFixture() throws {
        let out = try tempFolder().appendingPathComponent("charts")
        let quantiles = Self.fixtures.appendingPathComponent("quantiles.csv").path
        let all = try CLIHarness.run(["chart", "--fan", quantiles, "--metric", "capacity", "--out", out.path])
        #expect(all.status == 0, "\(all.stderr)")
        try expectImages(in: out, ["fan-capacity-coal.png", "fan-capacity-钢铁.png"])
        let steel = try CLIHarness.run(["chart", "--fan", quantiles, "--metric", "capacity", "--sector", "钢铁",
                                        "--format", "svg", "--out", out.path])
        #expect(steel.status == 0, "\(steel.stderr)")
        let svg = try String(contentsOf: out.appendingPathComponent("fan-capacity-钢铁.svg"), encoding: .utf8)
        #expect(svg.contains("capacity in 钢铁") && svg.contains("加速 fast"))
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        var label: String
        /// Arguments before `--out`; `RUN` is replaced by a fresh Jilin run folder, `FIX` by the fixtures folder.
        var arguments: [String]
        /// Applied to the run folder copy before charting: file name, old text, new text.
        var edit: (file: String, old: String, new: String)?
        var expected: [String]
        var testDescription: String { label }
    }

    static let badCases: [BadCase] = [
        BadCase(label: "missing run folder", arguments: ["/nonexistent/run"], edit: nil,
                expected: ["error: /nonexistent/run: no such folder"]),
        BadCase(label: "wrong closures header", arguments: ["RUN"],
                edit: ("closures.csv", "capacity_10kt,rule,reason", "capacity,rule,reason"),
                expected: ["closures.csv:1: header: column 10 is 'capacity', expected 'capacity_10kt'"]),
        BadCase(label: "missing projections", arguments: ["RUN"], edit: ("projections.csv", "", ""),
                expected: ["projections.csv: missing"]),
        BadCase(label: "unknown comparison metric", arguments: ["--compare", "FIX/comparison.csv", "--metric", "capcity"],
                edit: nil, expected: ["comparison.csv: metric: unknown metric 'capcity'; the file has capacity"]),
        BadCase(label: "unknown fan metric", arguments: ["--fan", "FIX/quantiles.csv", "--metric", "output"],
                edit: nil, expected: ["quantiles.csv: metric: unknown metric 'output'; the file has capacity"]),
        BadCase(label: "fan table given as comparison", arguments: ["--compare", "FIX/quantiles.csv"], edit: nil,
                expected: ["quantiles.csv:1: header: column 1 is 'policy', expected 'metric'"]),
    ]

    @Test(arguments: badCases)
    func badInputIsRejectedWithLocationAndNothingWritten(_ c: BadCase) throws {
        var arguments = c.arguments
        if arguments.contains("RUN") {
            let run = try jilinRun()
            if let edit = c.edit {
                let file = run.appendingPathComponent(edit.file)
                if edit.old.isEmpty { try FileManager.default.removeItem(at: file) }
                else { try CLIHarness.edit(file, replacing: edit.old, with: edit.new) }
            }
            arguments = arguments.map { $0 == "RUN" ? run.path : $0 }
        }
        arguments = arguments.map { $0.replacingOccurrences(of: "FIX/", with: Self.fixtures.path + "/") }
        let out = try tempFolder().appendingPathComponent("charts")
        let result = try CLIHarness.run(["chart"] + arguments + ["--out", out.path])
        #expect(result.status == 1)
        for text in c.expected { #expect(result.stderr.contains(text), "stderr lacks '\(text)':\n\(result.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing may be written on bad input")
    }

    @Test func usageErrorsAndHelp() throws {
        let none = try CLIHarness.run(["chart", "--out", "/tmp/x"])
        #expect(none.status != 0 && none.stderr.contains("give exactly one input"))
        let fanWithoutMetric = try CLIHarness.run(["chart", "--fan", "q.csv"])
        #expect(fanWithoutMetric.status != 0 && fanWithoutMetric.stderr.contains("--fan needs --metric"))
        let help = try CLIHarness.run(["help", "chart"])
        #expect(help.status == 0 && help.stdout.contains("capsim chart --fan"))
    }
}
