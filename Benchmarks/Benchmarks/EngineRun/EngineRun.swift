import Benchmark
import CapSimCore
import CapSimIO
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

/// The national synthetic scenario (capsim generate --preset national --seed 1), written to a
/// temporary folder and loaded like any scenario.
private func national() -> Scenario {
    do {
        let generated = try ScenarioGenerator.generate(.national(seed: 1))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-bench-national-\(getpid())")
        try AtomicOutput.write(generated.files.map { ($0.name, $0.contents) }, to: folder.path)
        return try Scenario.load(path: folder.appendingPathComponent("scenario.yaml").path)
    } catch {
        fatalError("cannot generate the national scenario: \(error)")
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
                         scenarioNames: (0..<count).map { "jilin-\($0)" }, policies: policies,
                         enterprises: scenario.enterprises)
}

/// Facility-scenario-years simulated by one run of `batch`.
private func work(_ batch: ScenarioBatch) -> Int { batch.facilities.count * batch.policies.count * (batch.years.count - 1) }

/// Facility-scenario-years per second, in thousands, as a custom metric.
private let facilityScenarioYears = BenchmarkMetric.custom("facility-scenario-years/s (k)", polarity: .prefersLarger,
                                                          useScalingFactor: false)

private let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal,
                                          facilityScenarioYears]

/// Registers a benchmark that runs `batch` with `threads` threads and reports its throughput.
private func register(_ name: String, _ batch: ScenarioBatch, threads: Int = 1, seconds: Int = 5) {
    Benchmark(name, configuration: .init(metrics: metrics, scalingFactor: .one, maxDuration: .seconds(seconds))) { benchmark in
        for _ in benchmark.scaledIterations {
            let start = DispatchTime.now().uptimeNanoseconds
            blackHole(Engine.run(batch, threads: threads))
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            benchmark.measurement(facilityScenarioYears, Int(Double(work(batch)) / elapsed / 1000))
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    BLASThreads.set(1)
    let j = jilin()
    register("Jilin run, 1 scenario", jilinBatch(j, count: 1))
    register("Jilin batch, 1,000 scenarios, 2 threads", jilinBatch(j, count: 1000), threads: 2, seconds: 10)
    let n = national()
    register("National scenario, 15 years", n.batch(), seconds: 20)
    var oneYear = n.batch()
    oneYear.endYear = oneYear.baseYear + 1
    register("National year step (one year, one scenario)", oneYear, seconds: 10)
}
