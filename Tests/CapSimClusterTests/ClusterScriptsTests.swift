import CapSimCluster
import Foundation
import Testing

/// The batch scripts, run with bash against a stand-in capsim: what each array task and the
/// merge actually execute.
@Suite struct ClusterScriptsTests {
    /// Runs `script` with bash and `environment` added to this process's.
    func bash(_ script: String, _ environment: [String: String] = [:]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func arrayTaskRunsItsShardIntoItsStoreWithTheTasksCPUs() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        // A sweep path with a space and a quote: the script must pass it as one argument.
        let odd = f.root.appendingPathComponent("my sweep's.yaml").path
        try FileManager.default.copyItem(atPath: f.sweep, toPath: odd)
        let request = ClusterRequest(parts: 4, partition: "short", time: "00:10:00", maxRunning: 2, cpusPerTask: 3)
        let done = try ClusterSweep(slurm: f.slurm).submit(sweep: odd, folder: f.cluster, request: request,
                                                           capsim: f.capsim, dryRun: true)
        let m = done.manifest
        let script = try String(contentsOfFile: f.cluster + "/array.sbatch", encoding: .utf8)
        #expect(script.hasPrefix("#!/bin/bash\n"))
        let directives = script.split(separator: "\n").filter { $0.hasPrefix("#SBATCH ") }.map { String($0.dropFirst(8)) }
        #expect(directives == ["--job-name=capsim-my_sweep_s", "--array=1-4%2", "--cpus-per-task=3",
                               "--mem=\(m.partMemoryMiB)M", "--partition=short", "--time=00:10:00",
                               "--chdir=\(f.cluster)", "--output=logs/part-%a-job%A.out"])
        #expect(f.log("sbatch").isEmpty, "a dry run submits nothing")

        #expect(try bash(f.cluster + "/array.sbatch", ["SLURM_ARRAY_TASK_ID": "3", "SLURM_CPUS_PER_TASK": "3"]) == 0)
        #expect(f.log("capsim") == ["sweep|\(odd)|--shard|3/4|--store|\(f.cluster)/part-3.sqlite|--threads|3|--batch|\(m.batchSize)"])
        // Outside an array job the script refuses to run rather than guess a part.
        #expect(try bash(f.cluster + "/array.sbatch", ["SLURM_ARRAY_TASK_ID": ""]) != 0)
        #expect(f.log("capsim").count == 1)
    }

    @Test func mergeScriptNamesEveryPartAndReplacesTheMergedStoreWhole() throws {
        let f = try ClusterFixture()
        defer { f.remove() }
        let done = try ClusterSweep(slurm: f.slurm).submit(sweep: f.sweep, folder: f.cluster, request: .init(parts: 3),
                                                           capsim: f.capsim, dryRun: true)
        let script = try String(contentsOfFile: f.cluster + "/merge.sbatch", encoding: .utf8)
        let directives = script.split(separator: "\n").filter { $0.hasPrefix("#SBATCH ") }.map { String($0.dropFirst(8)) }
        #expect(directives == ["--job-name=capsim-sweep-merge", "--cpus-per-task=1", "--mem=\(done.manifest.mergeMemoryMiB)M",
                               "--chdir=\(f.cluster)", "--output=logs/merge-job%j.out"])
        try Data("old".utf8).write(to: URL(fileURLWithPath: f.cluster + "/merged.sqlite"))
        #expect(try bash(f.cluster + "/merge.sbatch") == 0)
        let c = f.cluster
        #expect(f.log("capsim") == ["merge|\(c)/merged.sqlite.new|\(c)/part-1.sqlite|\(c)/part-2.sqlite|\(c)/part-3.sqlite"])
        #expect(try String(contentsOfFile: c + "/merged.sqlite", encoding: .utf8) == "merged\n")
        #expect(!FileManager.default.fileExists(atPath: c + "/merged.sqlite.new"))
    }

    @Test func arrayListsJoinRunsOfThreeOrMore() {
        #expect(ClusterScripts.arrayList([2, 4]) == "2,4")
        #expect(ClusterScripts.arrayList([7, 1, 2, 3]) == "1-3,7")
        #expect(ClusterScripts.arrayList([1, 2, 5, 6, 7, 8, 10]) == "1,2,5-8,10")
        #expect(ClusterScripts.arrayList([3, 3]) == "3")
    }

    @Test func quotingKeepsAnyTextOneBashWord() throws {
        #expect(ClusterScripts.quoted("a b") == "'a b'")
        #expect(ClusterScripts.quoted("it's") == "'it'\\''s'")
        #expect(ClusterScripts.problemInDirective("/shared/runs/s1") == nil)
        for bad in ["/shared/my runs", "/shared/100%", "/shared/it's", "/a\\b"] {
            #expect(ClusterScripts.problemInDirective(bad) != nil, "\(bad)")
        }
    }
}
