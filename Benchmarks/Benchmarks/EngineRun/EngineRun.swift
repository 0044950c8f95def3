import Benchmark
import CapSimCore
import CapSimScenario
import Foundation
import LinearAlgebra

/// The Jilin scenario, found relative to this file so the suite runs from any working folder.
private func jilin() -> Scenario {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    do {
        return try Scenario.load(path: root.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path)
    } catch {
        fatalError("cannot load the Jilin scenario: \(error)")
    }
}

/// A batch of `count` Jilin variants whose mine threshold differs, so scenarios do not share results.
private func jilinBatch(_ scenario: Scenario, count: Int) -> ScenarioBatch {
    var policies: [Policy] = []
    for i in 0..<count {
        var policy = scenario.policy
        if let r = policy.rules.firstIndex(where: { $0.id == "coal-under-30" }) {
            for (year, value) in policy.rules[r].thresholdByYear {
                policy.rules[r].thresholdByYear[year] = value + Double(i % 20)
            }
        }
        policies.append(policy)
    }
    return ScenarioBatch(facilities: scenario.facilities, baseYear: scenario.baseYear, endYear: scenario.endYear,
                         scenarioNames: (0..<count).map { "jilin-\($0)" }, policies: policies)
}

let benchmarks: @Sendable () -> Void = {
    BLASThreads.set(1)
    let scenario = jilin()
    for count in [1, 100] {
        let batch = jilinBatch(scenario, count: count)
        Benchmark("Jilin run, \(count) scenario(s)",
                  configuration: .init(metrics: [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal],
                                       scalingFactor: .one, maxDuration: .seconds(3))) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(Engine.run(batch))
            }
        }
    }
}
