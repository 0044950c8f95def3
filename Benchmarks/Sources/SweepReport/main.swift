// The sweep figures of docs/PERFORMANCE.md: the runner's cost per experiment beyond the engine's,
// each part timed in the same run on the bundled 10,000-experiment Jilin sweep.
//
//   cd Benchmarks && swift run -c release SweepReport [--update ../docs/PERFORMANCE.md] [--quick]
import CapSimCore
import CapSimRunner
import CapSimScenario
import CapSimStore
import Dispatch
import Foundation

let arguments = CommandLine.arguments
let quick = arguments.contains("--quick")
let updatePath = arguments.firstIndex(of: "--update").map { arguments[$0 + 1] }

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}


func peakMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let sweepFile = root.appendingPathComponent("Scenarios/jilin-2016/sweeps/threshold-price.yaml").path
let runner = try SweepRunner(spec: SweepSpec.load(path: sweepFile))
let threads = 2
let n = quick ? 400 : 2000
let batchSize = quick ? 100 : 500
let sample = Array(0..<n)
let batches = stride(from: 0, to: n, by: batchSize).map { Array(sample[$0..<min(n, $0 + batchSize)]) }
var sink = 0.0

// The parts of the same n experiments in the runner's batches, each part on its own.
var built: [Policy] = []
built = try sample.map { try runner.policy(experiment: $0).policy }
let base = runner.spec.base
let engineBatches = batches.map { b in
    ScenarioBatch(facilities: base.facilities, baseYear: base.baseYear, endYear: base.endYear,
                  scenarioNames: b.map { "e\($0)" }, policies: b.map { built[$0] }, enterprises: base.enterprises)
}
let options = Engine.Options(checkInvariants: true)
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-sweep-report-\(getpid())")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
nonisolated(unsafe) var storeNumber = 0
func freshStore() throws -> SweepStore {
    storeNumber += 1
    return try SweepStore.open(path: folder.appendingPathComponent("s\(storeNumber).sqlite").path, layout: runner.layout, shard: "1/1")
}
// The machine is shared and noisy: the parts are timed in turn, round after round, and each keeps
// its best round, so a slow spell does not fall on one part only.
nonisolated(unsafe) var (tEngine, tEngineUnchecked, tRecords, tStored) = (Double.infinity, Double.infinity, Double.infinity, Double.infinity)
nonisolated(unsafe) var tBuild1 = Double.infinity
for _ in 0..<(quick ? 2 : 5) {
    tBuild1 = min(tBuild1, try seconds { built = try sample.map { try runner.policy(experiment: $0).policy } })
    tEngine = min(tEngine, seconds { for b in engineBatches { sink += Engine.run(b, options: options, threads: threads).valuesByYear[1][0, 0] } })
    tEngineUnchecked = min(tEngineUnchecked, seconds { for b in engineBatches { sink += Engine.run(b, threads: threads).valuesByYear[1][0, 0] } })
    tRecords = min(tRecords, try seconds { for b in batches { sink += try runner.records(b, threads: threads)[0].outcomes[0] } })
    tStored = min(tStored, try seconds { try runner.run(sample, threads: threads, batchSize: batchSize, into: freshStore()) })
}

// The whole sweep, as `capsim sweep` runs it.
let all = Array(0..<(quick ? 2000 : runner.experimentCount))
let whole = try freshStore()
let tWhole = try seconds {
    try runner.run(all, threads: threads, batchSize: 500, into: whole)
    try whole.refreshSummaries()
    try whole.close()
}
let storeBytes = (try? FileManager.default.attributesOfItem(atPath: whole.path)[.size] as? Int) ?? 0

func perExperimentMs(_ t: Double) -> String { fmt(t / Double(n) * 1000, 3) }
nonisolated(unsafe) var rows = ["| Part (\(n) Jilin experiments in batches of \(batchSize), \(threads) threads) | Wall time (s) | ms per experiment | Share of the full run |",
            "|---|---|---|---|"]
func row(_ name: String, _ t: Double) { rows.append("| \(name) | \(fmt(t, 3)) | \(perExperimentMs(t)) | \(fmt(t / tStored * 100, 0)) % |") }
row("Engine only, invariants checked (as the runner runs it)", tEngine)
row("Engine only, unchecked", tEngineUnchecked)
row("Scenario construction only (path edits + resolution), 1 thread", tBuild1)
row("Runner without the store: construction (2 threads) + engine + series and outcomes", tRecords)
row("Runner with the store (SQLite, one transaction per batch, written while the next batch runs)", tStored)
let overhead = (tStored - tEngine) / Double(n) * 1000
let overheadNoBuild = (tStored - tEngine - tBuild1 / Double(threads)) / Double(n) * 1000
rows.append("")
rows.append("| Whole sweep | Value |")
rows.append("|---|---|")
rows.append("| Experiments | \(all.count) (\(runner.spec.design.name), \(runner.spec.parameters.count) parameters, \(runner.spec.policies.count) policies) |")
rows.append("| Wall time, run + summaries | \(fmt(tWhole, 1)) s |")
rows.append("| Throughput | \(fmt(Double(all.count) / tWhole, 0)) experiments/s |")
rows.append("| Runner overhead beyond the engine (per experiment, wall) | \(fmt(overhead, 3)) ms |")
rows.append("| of which scenario construction (per experiment, wall on \(threads) threads) | \(fmt(tBuild1 / Double(threads) / Double(n) * 1000, 3)) ms |")
rows.append("| Overhead without scenario construction (sampling, dispatch, series, outcomes, SQLite) | \(fmt(overheadNoBuild, 3)) ms |")
rows.append("| Peak resident memory of this report (all parts) | \(fmt(peakMiB(), 0)) MiB |")
rows.append("| Store size | \(fmt(Double(storeBytes) / 1_048_576, 0)) MiB (\(runner.series.count) series × \(runner.years.count) years per experiment) |")

let report = "Measured \(ISO8601DateFormatter().string(from: Date())); release build; `cd Benchmarks && swift run -c release SweepReport`.\n\n"
    + rows.joined(separator: "\n") + "\n"
print(sink.isNaN ? " " : "")
print(report)
if let path = updatePath {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    guard let a = text.range(of: "<!-- sweep:start -->"), let b = text.range(of: "<!-- sweep:end -->") else {
        fatalError("\(path) has no <!-- sweep:start --> / <!-- sweep:end --> markers")
    }
    try String(text[..<a.upperBound] + "\n" + report + text[b.lowerBound...]).write(toFile: path, atomically: true, encoding: .utf8)
}
