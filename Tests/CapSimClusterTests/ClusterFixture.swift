import CapSimTestSupport
import CapSimCluster
import CapSimRunner
import CapSimScenario
import CapSimStore
import Foundation
import Testing

/// A temporary folder with a small Jilin sweep and stand-ins for Slurm's commands and for the
/// capsim binary, removed by `remove()`.
///
/// The stand-ins are bash scripts: `sbatch` logs its arguments and prints job ids 101, 102, ...
/// (or fails on the call numbered in `sbatch.fail`, with that file's text on standard error);
/// `squeue` prints `squeue.out` (or fails with `squeue.err`); `sacct` fails as it does without
/// accounting storage; `scancel` logs its arguments.
struct ClusterFixture {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    let root: URL
    var bin: URL { root.appendingPathComponent("bin") }
    var sweep: String { root.appendingPathComponent("sweep.yaml").path }
    var capsim: String { bin.appendingPathComponent("capsim").path }
    var cluster: String { root.appendingPathComponent("cluster").path }
    var slurm: Slurm { Slurm(searchPath: bin.path) }

    /// 8 Latin-hypercube points × 2 policies = 16 experiments of the bundled Jilin scenario.
    static func sweepText(samples: Int = 8) -> String {
        smallJilinSweepText(scenario: packageRoot.appendingPathComponent("Scenarios/jilin-2016/scenario.yaml").path, samples: samples, seed: 3)
    }

    init(samples: Int = 8) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("capsim-cluster-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try Data(Self.sweepText(samples: samples).utf8).write(to: root.appendingPathComponent("sweep.yaml"))
        let log = root.path
        try tool("sbatch", """
            echo "$*" >> '\(log)/sbatch.log'
            n=$(( $(cat '\(log)/sbatch.count' 2>/dev/null || echo 0) + 1 ))
            echo $n > '\(log)/sbatch.count'
            if [ -f '\(log)/sbatch.fail' ] && [ "$(head -n1 '\(log)/sbatch.fail')" = "$n" ]; then
                tail -n +2 '\(log)/sbatch.fail' >&2
                exit 1
            fi
            echo "$((100 + n));capsim"
            """)
        try tool("squeue", """
            echo "$*" >> '\(log)/squeue.log'
            if [ -f '\(log)/squeue.err' ]; then cat '\(log)/squeue.err' >&2; exit 1; fi
            cat '\(log)/squeue.out' 2>/dev/null || true
            """)
        try tool("sacct", """
            echo "Slurm accounting storage is disabled" >&2
            exit 1
            """)
        try tool("scancel", "echo \"$*\" >> '\(log)/scancel.log'")
        // The capsim the scripts run: logs its arguments, `|`-separated; `merge` writes the file it is given.
        try tool("capsim", """
            (IFS='|'; echo "$*") >> '\(log)/capsim.log'
            if [ "$1" = merge ]; then echo merged > "$2"; fi
            """)
    }

    func tool(_ name: String, _ body: String) throws {
        let path = bin.appendingPathComponent(name).path
        try Data(("#!/bin/bash\n" + body + "\n").utf8).write(to: URL(fileURLWithPath: path))
        #expect(chmod(path, 0o755) == 0)
    }

    /// The lines a stand-in logged (`sbatch`, `scancel`, `squeue`, `capsim`).
    func log(_ name: String) -> [String] {
        let text = (try? String(contentsOfFile: root.appendingPathComponent("\(name).log").path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    /// Sets what the stand-in `squeue` prints.
    func queue(_ lines: [String]) throws {
        try Data(lines.map { $0 + "\n" }.joined().utf8).write(to: root.appendingPathComponent("squeue.out"))
    }

    /// Makes the stand-in `sbatch` fail on its `call`-th call with `message` on standard error.
    func failSbatch(call: Int, message: String) throws {
        try Data("\(call)\n\(message)\n".utf8).write(to: root.appendingPathComponent("sbatch.fail"))
    }

    /// Stores experiments `range` of part `k` of `n` in the cluster folder, as its array task would.
    func storePart(_ k: Int, of n: Int, experiments range: Range<Int>? = nil) throws {
        let runner = try SweepRunner(spec: SweepSpec.load(path: sweep))
        let store = try SweepStore.open(path: cluster + "/part-\(k).sqlite", layout: runner.layout, shard: "\(k)/\(n)")
        try runner.run(Array(range ?? runner.experiments(shard: k, of: n)), threads: 1, batchSize: 4, into: store)
        try store.close()
    }

    /// Every file under the fixture's folder, relative, sorted.
    func files(under folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }
}
