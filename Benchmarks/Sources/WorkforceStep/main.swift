// The workforce step alone on the bundled Jilin scenario with 1,000 scenarios (docs/PERFORMANCE.md,
// "Workforce step"): the reference model (main's per-scenario model, kept as the oracle) against
// the data-parallel one, with either transition kernel, on inputs from a capacity run.
//
//   cd Benchmarks && swift build -c release --product WorkforceStep
//   .build/release/WorkforceStep --model loops [--vary] [--time]
//   valgrind --tool=callgrind --toggle-collect='*WorkforceStepBenchmark*runSteps*' \
//       .build/release/WorkforceStep --model loops [--vary]
//
// --model reference|loops|blas; --vary gives every scenario its own workforce numbers (transition
// rates, channel shares and capacities, wages, fund amounts), as a sweep over them would;
// --scenarios N (default 1000); --time prints the best of three wall times.
@_spi(Benchmarks) import CapSimCore
import CapSimScenario
import Dispatch
import Foundation
import LinearAlgebra

let arguments = CommandLine.arguments
func option(_ name: String) -> String? { arguments.firstIndex(of: name).map { arguments[$0 + 1] } }
let modelName = option("--model") ?? "loops"
let vary = arguments.contains("--vary")
let count = Int(option("--scenarios") ?? "1000")!
BLASThreads.set(1)

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
let jilin = try! Scenario.load(path: root.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path)

/// Jilin variants as in PerformanceReport: mine thresholds 30-49 from 2018 and coal prices 0.8-1.2
/// of the plan's path (period 220); with `vary`, workforce numbers too.
func jilinBatch(_ count: Int, vary: Bool) -> ScenarioBatch {
    let rule = jilin.policy.rules.firstIndex { $0.id == "coal-under-30" }!
    var rng = SplitMix64(seed: 12)
    func factor() -> Double { Double.random(in: 0.8...1.2, using: &rng) }
    let policies = (0..<count).map { i -> Policy in
        var p = jilin.policy
        p.rules[rule].thresholdByYear = p.rules[rule].thresholdByYear.mapValues { _ in Double(30 + i % 20) }
        let f = 0.8 + 0.4 * Double(i % 11) / 10
        p.sectors[.coal]!.priceIndexByYear = p.sectors[.coal]!.priceIndexByYear.mapValues { $0 * f }
        if vary, var r = p.resettlement {
            r.transitions.reemploymentRate *= factor()
            r.transitions.jobLossRate *= factor()
            r.transitions.trainingSuccessShare = min(1, r.transitions.trainingSuccessShare * factor())
            for c in r.channels.indices {
                r.channels[c].capacityTotalPersons = r.channels[c].capacityTotalPersons.map { $0 * factor() }
                if r.channels[c].share != nil { r.channels[c].share = 0.3 * factor() - 0.2 }
                r.channels[c].oneOffYuanPerPerson *= factor()
            }
            for sector in Sector.allCases { r.sectors[sector]?.wageYuanPerYear *= factor() }
            if let amounts = r.awardFund?.amountYuanByYear {  // in year order, so runs repeat
                for year in amounts.keys.sorted() { r.awardFund!.amountYuanByYear[year]! *= factor() }
            }
            p.resettlement = r
        }
        return p
    }
    return ScenarioBatch(facilities: jilin.facilities, baseYear: jilin.baseYear, endYear: jilin.endYear,
                         scenarioNames: (0..<count).map { "jilin-\($0)" }, policies: policies,
                         enterprises: jilin.enterprises)
}

let batch = jilinBatch(count, vary: vary)
// The capacity design repeats every 220 scenarios: run those once, capacity model only.
var capacityOnly = jilinBatch(min(count, 220), vary: false)
capacityOnly.policies = capacityOnly.policies.map { var p = $0; p.resettlement = nil; p.finance = nil; return p }
let capacityRun = Engine.run(capacityOnly)
let model: WorkforceStepBenchmark.Model = modelName == "reference" ? .reference
    : .batched(modelName == "blas" ? .blas : .loops)
let fsy = Double(batch.facilities.count * count * (batch.years.count - 1))

var bench = WorkforceStepBenchmark(batch: batch, capacityRun: capacityRun, model: model)
bench.runSteps()
let checksum = bench.result.values.reduce(0, +)
print("model \(modelName)\(vary ? " (varied workforce)" : ""): \(count) scenarios, \(batch.facilities.count) facilities, "
      + "\(batch.years.count - 1) years, \(Int(fsy)) facility-scenario-years; checksum \(checksum)")
if arguments.contains("--time") {
    var best = Double.infinity
    for _ in 0..<3 {
        var b = WorkforceStepBenchmark(batch: batch, capacityRun: capacityRun, model: model)
        let start = DispatchTime.now().uptimeNanoseconds
        b.runSteps()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    print(String(format: "best of 3: %.4f s, %.2f M facility-scenario-years per second", best, fsy / best / 1e6))
}
