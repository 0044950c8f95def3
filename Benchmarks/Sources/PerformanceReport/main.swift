// The one command behind docs/PERFORMANCE.md: every figure below is measured in one run on one
// machine, so the ratios compare like with like.
//
//   cd Benchmarks && swift run -c release PerformanceReport [--update ../docs/PERFORMANCE.md] [--quick]
import CapSimCore
import CapSimIO
import CapSimScenario
import Dispatch
import Foundation
import LinearAlgebra

let arguments = CommandLine.arguments
let quick = arguments.contains("--quick")
let updatePath = arguments.firstIndex(of: "--update").map { arguments[$0 + 1] }

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// The best of `repeats` timings: the least disturbed by the rest of the machine.
func best(_ repeats: Int, _ body: () -> Void) -> Double { (0..<repeats).map { _ in seconds(body) }.min()! }

/// Peak resident memory of this process so far, MiB.
func peakMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

func machine() -> String {
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }?
        .split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
    return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(fmt(memory, 1)) GiB"
}

// MARK: memory bandwidth (STREAM-style triad a = b + s·c)

/// Triad bandwidth in GB/s over arrays far larger than the caches, on `threads` threads; counts
/// 3 × 8 bytes per element (two reads, one write), as STREAM does.
func triadGBps(threads: Int, elements: Int) -> Double {
    let a = UnsafeMutableBufferPointer<Double>.allocate(capacity: elements)
    let b = UnsafeMutableBufferPointer<Double>.allocate(capacity: elements)
    let c = UnsafeMutableBufferPointer<Double>.allocate(capacity: elements)
    defer { a.deallocate(); b.deallocate(); c.deallocate() }
    a.initialize(repeating: 0)
    b.initialize(repeating: 1)
    c.initialize(repeating: 2)
    nonisolated(unsafe) let (pa, pb, pc) = (a, b, c)
    let time = best(5) {
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let lo = t * elements / threads, hi = (t + 1) * elements / threads
            for i in lo..<hi { pa[i] = pb[i] + 3 * pc[i] }
        }
    }
    return Double(3 * 8 * elements) / time / 1e9
}

// MARK: workloads

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let jilin = try! Scenario.load(path: root.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path)

/// `count` Jilin variants: mine thresholds 30-49 from 2018 and coal prices 0.8-1.2 of the plan's path.
func jilinBatch(_ count: Int) -> ScenarioBatch {
    let rule = jilin.policy.rules.firstIndex { $0.id == "coal-under-30" }!
    let policies = (0..<count).map { i -> Policy in
        var p = jilin.policy
        p.rules[rule].thresholdByYear = p.rules[rule].thresholdByYear.mapValues { _ in Double(30 + i % 20) }
        let factor = 0.8 + 0.4 * Double(i % 11) / 10
        p.sectors[.coal]!.priceIndexByYear = p.sectors[.coal]!.priceIndexByYear.mapValues { $0 * factor }
        return p
    }
    return ScenarioBatch(facilities: jilin.facilities, baseYear: jilin.baseYear, endYear: jilin.endYear,
                         scenarioNames: (0..<count).map { "jilin-\($0)" }, policies: policies,
                         enterprises: jilin.enterprises)
}

func work(_ b: ScenarioBatch) -> Double { Double(b.facilities.count * b.policies.count * (b.years.count - 1)) }

var sink = 0.0
BLASThreads.set(1)
nonisolated(unsafe) var rows: [String] = []
func row(_ cells: String...) { rows.append("| " + cells.joined(separator: " | ") + " |") }

let jilinCount = quick ? 100 : 1000
let j = jilinBatch(jilinCount)
let tRef = best(quick ? 1 : 2) { sink += ReferenceEngine.run(j).valuesByYear[1][0, 0] }
let t1 = best(3) { sink += Engine.run(j).valuesByYear[1][0, 0] }
let t2 = best(3) { sink += Engine.run(j, threads: 2).valuesByYear[1][0, 0] }
// Group sums change on events (no aggregation kernel to choose); the worker transitions still have two.
let tBlasTr = best(3) { sink += Engine.run(j, options: .init(transitions: .blas)).valuesByYear[1][0, 0] }
let fsy = work(j)
row("Jilin, \(jilinCount) scenarios: scalar reference (one at a time, plain loops)", fmt(tRef, 3), fmt(fsy / tRef / 1e6), "1.00")
row("Jilin, \(jilinCount) scenarios: batched, 1 thread, BLAS transitions", fmt(tBlasTr, 3), fmt(fsy / tBlasTr / 1e6), fmt(tRef / tBlasTr))
row("Jilin, \(jilinCount) scenarios: batched, 1 thread, loop kernels (default)", fmt(t1, 3), fmt(fsy / t1 / 1e6), fmt(tRef / t1))
row("Jilin, \(jilinCount) scenarios: batched, 2 threads, loop kernels", fmt(t2, 3), fmt(fsy / t2 / 1e6), fmt(tRef / t2))

// Capacity model alone (no workers, no debt): the part whose memory traffic is modelled below.
var capacityOnly = j
capacityOnly.policies = capacityOnly.policies.map { var p = $0; p.resettlement = nil; p.finance = nil; return p }
let tCap1 = best(3) { sink += Engine.run(capacityOnly).valuesByYear[1][0, 0] }
let tCapRef = best(quick ? 1 : 2) { sink += ReferenceEngine.run(capacityOnly).valuesByYear[1][0, 0] }
row("Jilin capacity model only, \(jilinCount) scenarios: scalar reference", fmt(tCapRef, 3), fmt(fsy / tCapRef / 1e6), "1.00")
row("Jilin capacity model only, \(jilinCount) scenarios: batched, 1 thread", fmt(tCap1, 3), fmt(fsy / tCap1 / 1e6), fmt(tCapRef / tCap1))

// Streamed batches: memory must stay flat as the number of scenarios grows.
func streamed(_ count: Int) -> (seconds: Double, peakMiB: Double, closed: Double) {
    let b = jilinBatch(count)
    var closed2018 = [Double](repeating: 0, count: count)
    let coal = AggregationGroup(sector: .coal)
    let t = seconds {
        Engine.stream(b, chunkSize: 500, threads: 2) { first, result in
            for s in result.scenarioNames.indices {
                closed2018[first + s] = result.value(.capacityClosed, group: coal, year: 2018, scenario: s)
            }
        }
    }
    return (t, peakMiB(), closed2018.reduce(0, +))
}
let small = streamed(quick ? 2_000 : 10_000)
let large = streamed(quick ? 10_000 : 100_000)
sink += small.closed + large.closed
row("Jilin, \(quick ? 2_000 : 10_000) scenarios streamed (chunks of 500, 2 threads)", fmt(small.seconds, 2),
    fmt(work(jilinBatch(1)) * Double(quick ? 2_000 : 10_000) / small.seconds / 1e6), "peak \(fmt(small.peakMiB, 0)) MiB")
row("Jilin, \(quick ? 10_000 : 100_000) scenarios streamed (chunks of 500, 2 threads)", fmt(large.seconds, 2),
    fmt(work(jilinBatch(1)) * Double(quick ? 10_000 : 100_000) / large.seconds / 1e6), "peak \(fmt(large.peakMiB, 0)) MiB")

// National scale: the generated national scenario (capsim generate --preset national --seed 1).
let generated = try! ScenarioGenerator.generate(quick ? .province(seed: 1) : .national(seed: 1))
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-report-\(getpid())")
try! AtomicOutput.write(generated.files.map { ($0.name, $0.contents) }, to: folder.path)
let nationalScenario = try! Scenario.load(path: folder.appendingPathComponent("scenario.yaml").path)
let label = quick ? "Province (generated)" : "National (generated)"
let nationalVariants = 4
var nat = nationalScenario.batch()
nat.scenarioNames = (0..<nationalVariants).map { "n\($0)" }
nat.policies = (0..<nationalVariants).map { i in
    var p = nationalScenario.policy
    p.sectors[.coal]?.priceIndex *= 0.85 + 0.1 * Double(i)
    return p
}
let tNat1 = best(2) { sink += Engine.run(nat).valuesByYear[1][0, 0] }
let tNat2 = best(2) { sink += Engine.run(nat, threads: 2).valuesByYear[1][0, 0] }
var natCapacity = nat
natCapacity.policies = natCapacity.policies.map { var p = $0; p.resettlement = nil; p.finance = nil; return p }
let tNatCap1 = best(2) { sink += Engine.run(natCapacity).valuesByYear[1][0, 0] }
let tNatCap2 = best(2) { sink += Engine.run(natCapacity, threads: 2).valuesByYear[1][0, 0] }
let natWork = work(nat)
let facilitiesText = "\(nat.facilities.count) facilities, \(nat.years.count - 1) years, \(nationalVariants) scenarios"
row("\(label), \(facilitiesText): full model, 1 thread", fmt(tNat1, 3), fmt(natWork / tNat1 / 1e6), "")
row("\(label), \(facilitiesText): full model, 2 threads", fmt(tNat2, 3), fmt(natWork / tNat2 / 1e6), "")
row("\(label), \(facilitiesText): capacity model only, 1 thread", fmt(tNatCap1, 3), fmt(natWork / tNatCap1 / 1e6), "")
row("\(label), \(facilitiesText): capacity model only, 2 threads", fmt(tNatCap2, 3), fmt(natWork / tNatCap2 / 1e6), "")

// Memory bandwidth: triad, and the capacity year step's traffic against it.
let triadElements = quick ? 1 << 23 : 1 << 25
let triad1 = triadGBps(threads: 1, elements: triadElements)
let triad2 = triadGBps(threads: 2, elements: triadElements)
let bytesPerFSY = 6 + 59 / Double(nationalVariants)
let traffic1 = natWork / tNatCap1 * bytesPerFSY / 1e9
let traffic2 = natWork / tNatCap2 * bytesPerFSY / 1e9
var bandwidth: [String] = ["| Bandwidth | GB/s | Fraction of triad |", "|---|---|---|"]
bandwidth.append("| Triad a = b + 3c, 1 thread | \(fmt(triad1)) | 1.00 |")
bandwidth.append("| Triad a = b + 3c, 2 threads | \(fmt(triad2)) | 1.00 |")
bandwidth.append("| \(label) capacity year step, 1 thread (\(fmt(bytesPerFSY, 1)) bytes per facility-scenario-year) | \(fmt(traffic1, 3)) | \(fmt(traffic1 / triad1, 4)) |")
bandwidth.append("| \(label) capacity year step, 2 threads | \(fmt(traffic2, 3)) | \(fmt(traffic2 / triad2, 4)) |")

print(sink > 0 ? "" : " ")
let table = (["| Run | Wall time (s) | Facility-scenario-years per second (millions) | Ratio to the scalar reference |",
              "|---|---|---|---|"] + rows).joined(separator: "\n")
let header = "Measured \(ISO8601DateFormatter().string(from: Date())) on \(machine()); release build; OpenBLAS \(BLASThreads.count) thread per worker."
let report = header + "\n\n" + table + "\n\n" + bandwidth.joined(separator: "\n") + "\n"
print(report)
if let path = updatePath {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    guard let a = text.range(of: "<!-- report:start -->"), let b = text.range(of: "<!-- report:end -->") else {
        fatalError("\(path) has no <!-- report:start --> / <!-- report:end --> markers")
    }
    let updated = text[..<a.upperBound] + "\n" + report + text[b.lowerBound...]
    try String(updated).write(toFile: path, atomically: true, encoding: .utf8)
}
