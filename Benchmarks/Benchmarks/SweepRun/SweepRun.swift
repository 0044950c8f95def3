import Benchmark
import CapSimCore
import CapSimRunner
import CapSimScenario
import CapSimStore
import Foundation

/// The bundled Jilin sweep, found relative to this file so the suite runs from any working folder.
private func runner() -> SweepRunner {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    do {
        return try SweepRunner(spec: SweepSpec.load(
            path: root.appendingPathComponent("Scenarios/jilin-2016/sweeps/threshold-price.yaml").path))
    } catch {
        fatalError("cannot load the Jilin sweep: \(error)")
    }
}

private let metrics: [BenchmarkMetric] = [.wallClock, .throughput, .peakMemoryResident, .mallocCountTotal]

/// One batch of 500 experiments, three ways: the engine alone on prebuilt policies, the runner
/// without its store, and the runner into a fresh store; the differences are the runner's overhead.
let benchmarks: @Sendable () -> Void = {
    let r = runner()
    let experiments = Array(0..<500)
    let base = r.spec.base
    let policies = experiments.map { try! r.policy(experiment: $0).policy }
    let batch = ScenarioBatch(facilities: base.facilities, baseYear: base.baseYear, endYear: base.endYear,
                              scenarioNames: experiments.map { "e\($0)" }, policies: policies, enterprises: base.enterprises)
    let configuration = Benchmark.Configuration(metrics: metrics, scalingFactor: .one, maxDuration: .seconds(10))
    Benchmark("Sweep batch of 500 Jilin experiments: engine only, 2 threads", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Engine.run(batch, options: Engine.Options(checkInvariants: true), threads: 2))
        }
    }
    Benchmark("Sweep batch of 500 Jilin experiments: runner without store, 2 threads", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try r.records(experiments, threads: 2)) }
    }
    Benchmark("Sweep batch of 500 Jilin experiments: runner into a store, 2 threads", configuration: configuration) { benchmark in
        for i in benchmark.scaledIterations {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-bench-sweep-\(getpid())-\(i).sqlite").path
            let store = try SweepStore.open(path: path, layout: r.layout, shard: "1/1")
            try r.run(experiments, threads: 2, batchSize: 500, into: store)
            try store.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }
}
