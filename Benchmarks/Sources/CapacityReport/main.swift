// The capacity model alone (a Jilin copy without workforce, resettlement and finance) over 1,000
// scenarios on one thread: wall-time throughput, and one run to count instructions under callgrind.
// The same source builds against the engine before and after the redesign (docs/PERFORMANCE.md,
// "Capacity step").
//
//   cd Benchmarks && swift run -c release CapacityReport [--scenarios N] [--once]
//   valgrind --tool=callgrind --callgrind-out-file=cap.out .build/release/CapacityReport --once
//
// `--once` runs the batch once (for callgrind) and prints the work done; otherwise the best of 5
// timed runs is printed in facility-scenario-years (fsy) per second.
import CapSimCore
import CapSimScenario
import Dispatch
import Foundation

let arguments = CommandLine.arguments
let once = arguments.contains("--once")
// `--markets`: the coal market of variants/markets-coal.yaml on in every scenario (docs/MODEL.md §2.7).
let markets = arguments.contains("--markets")
let count = arguments.firstIndex(of: "--scenarios").flatMap { Int(arguments[$0 + 1]) } ?? 1000

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let path = root.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path
let jilin: Scenario
do { jilin = try Scenario.load(path: path) } catch {
    FileHandle.standardError.write(Data("\(path): \(error)\n".utf8))
    exit(1)
}
let coalMarket: SectorMarket? = {
    guard markets else { return nil }
    let variant = root.appendingPathComponent("Scenarios/jilin-2016/variants/markets-coal.yaml").path
    do { return try Scenario.load(path: variant).policy.sectors[.coal]?.market } catch {
        FileHandle.standardError.write(Data("\(variant): \(error)\n".utf8))
        exit(1)
    }
}()

/// `count` capacity-only Jilin variants: mine threshold 30-49 from 2018, coal prices 0.8-1.2 × the plan's path.
func batch(_ count: Int) -> ScenarioBatch {
    guard let rule = jilin.policy.rules.firstIndex(where: { $0.id == "coal-under-30" }),
          let coal = jilin.policy.sectors[.coal] else { fatalError("jilin-2016 lacks coal-under-30 or coal") }
    let policies = (0..<count).map { i -> Policy in
        var p = jilin.policy
        p.resettlement = nil
        p.finance = nil
        p.rules[rule].thresholdByYear = p.rules[rule].thresholdByYear.mapValues { _ in Double(30 + i % 20) }
        let factor = 0.8 + 0.4 * Double(i % 11) / 10
        p.sectors[.coal]!.priceIndexByYear = coal.priceIndexByYear.mapValues { $0 * factor }
        p.sectors[.coal]!.market = coalMarket
        return p
    }
    return ScenarioBatch(facilities: jilin.facilities, baseYear: jilin.baseYear, endYear: jilin.endYear,
                         scenarioNames: (0..<count).map { "jilin-\($0)" }, policies: policies)
}

let b = batch(count)
let fsy = Double(b.facilities.count * count * (b.years.count - 1))
var sink = 0.0
if once {
    let r = Engine.run(b)
    sink += r.valuesByYear[1][0, 0] + Double(r.closures.count)
    print("facilities \(b.facilities.count), scenarios \(count), simulated years \(b.years.count - 1), fsy \(Int(fsy)), closures \(r.closures.count), check \(sink)")
} else {
    var best = Double.infinity
    for _ in 0..<5 {
        let start = DispatchTime.now().uptimeNanoseconds
        sink += Engine.run(b).valuesByYear[1][0, 0]
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    print(String(format: "capacity-only Jilin, %d scenarios, 1 thread: best of 5 %.4f s, %.2f M fsy/s (check %.1f)",
                 count, best, fsy / best / 1e6, sink))
}
