// The finance step's workload for docs/PERFORMANCE.md ("Finance step"): one `Engine.run` of a batch
// of scenarios that differ in every finance number, for callgrind (instruction counts) and wall time.
//
//   cd Benchmarks && swift build -c release --product FinanceStep
//   cp .build/release/FinanceStep /tmp/FinanceStep && strip --strip-debug /tmp/FinanceStep  # valgrind 3.19 vs DWARF 5
//   valgrind --tool=callgrind /tmp/FinanceStep ../Scenarios/jilin-2016/scenario.yaml 1000
//   capsim generate --preset national --out /tmp/national   # then:
//   valgrind --tool=callgrind /tmp/FinanceStep /tmp/national/scenario.yaml 4
//
// docs/PERFORMANCE.md ("Finance step") has the figures and the full recipe.
//
// It prints the counts the per-enterprise-scenario-year figure divides by; callgrind_annotate
// --inclusive=yes gives the instructions of `FinanceModel.step` and of `Engine.run`.
import CapSimCore
import CapSimScenario
import Dispatch
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3, let count = Int(arguments[2]), count >= 1 else {
    FileHandle.standardError.write("usage: FinanceStep SCENARIO.yaml SCENARIOS\n".data(using: .utf8)!)
    exit(2)
}
let scenario: Scenario
do {
    scenario = try Scenario.load(path: arguments[1])
} catch {
    FileHandle.standardError.write("cannot load the scenario: \(error)\n".data(using: .utf8)!)
    exit(1)
}
guard let finance = scenario.policy.finance else {
    FileHandle.standardError.write("the scenario does not model debt\n".data(using: .utf8)!)
    exit(1)
}

/// Scenario `i`: every sector's price path, the write-down and repayment shares, every lever's share
/// and the zombie thresholds scaled by factors that differ per scenario.
func variant(_ i: Int) -> Policy {
    var p = scenario.policy
    let f = 0.8 + 0.4 * Double(i % 101) / 100
    for sector in Sector.allCases {
        var sp = p.sector(sector)
        sp.priceIndex *= f
        sp.priceIndexByYear = sp.priceIndexByYear.mapValues { $0 * f }
        p.sectors[sector] = sp
    }
    var fp = finance
    fp.assetWriteDownShare = min(1, fp.assetWriteDownShare * f)
    fp.repaymentShare = min(1, fp.repaymentShare * f)
    fp.instruments = fp.instruments.map { var x = $0; x.share = min(1, x.share * f); return x }
    fp.zombies.debtToAssets *= f
    p.finance = fp
    return p
}
let batch = ScenarioBatch(facilities: scenario.facilities, baseYear: scenario.baseYear, endYear: scenario.endYear,
                          scenarioNames: (0..<count).map { "s\($0)" }, policies: (0..<count).map(variant),
                          enterprises: scenario.enterprises)
let start = DispatchTime.now().uptimeNanoseconds
let result = Engine.run(batch)
let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
let years = batch.years.count - 1
let f = result.finance!
var bankruptcies = 0.0
for y in f.years.indices { for s in 0..<count { bankruptcies += f.total(.bankruptcies, sector: nil, owner: nil, yearIndex: y, scenario: s) } }
print("facilities \(batch.facilities.count) enterprises \(batch.enterprises.count) scenarios \(count) years \(years)")
print("facility-scenario-years \(batch.facilities.count * count * years) enterprise-scenario-years \(batch.enterprises.count * count * years)")
print("seconds \(seconds) bankruptcies \(bankruptcies) closures \(result.closures.count)")
